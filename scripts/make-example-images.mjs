// Regenerates the stub program images committed under examples/ (run after
// `npm run build`). Stubs carry the symbols the tool patches, like a PD
// linked against libmicrokit, so the examples build without a compiler.
import { writeFileSync } from 'node:fs';
import { stubProgramImage } from '../dist/core/sdk/stub-elfs.js';

const images = [{ path: 'examples/hello/hello.elf', arch: 'aarch64', symbols: [] }];
for (const { path, arch, symbols } of images) {
  writeFileSync(new URL(`../${path}`, import.meta.url), stubProgramImage({ arch, extraWordSymbols: symbols }));
  console.log(`wrote ${path}`);
}
