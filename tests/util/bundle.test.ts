import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleDir } from '../../core/util/bundle.js';

describe('bundleDir', () => {
  it('finds the bundle directory of a chunk or an entry', () => {
    expect(bundleDir(pathToFileURL('/p/node_modules/microkit-ts/dist/bundle/chunks/chunk-AB.js').href)).toBe('/p/node_modules/microkit-ts/dist/bundle/');
    expect(bundleDir(pathToFileURL('/p/dist/bundle/microkit.js').href)).toBe('/p/dist/bundle/');
  });
  it('is undefined outside a bundle (sources, tsc output)', () => {
    expect(bundleDir(pathToFileURL('/p/core/config/load-typescript.ts').href)).toBeUndefined();
    expect(bundleDir(pathToFileURL('/p/dist/core/config/load-typescript.js').href)).toBeUndefined();
  });
});
