/**
 * Where a config file names a key, for a located CONFIG_INVALID: the loaded
 * config is a plain object with no positions, so the key is found in the
 * file's text. Only a key written exactly once as a property (`key:`,
 * `'key':`, `"key":`) is located: a computed or repeated one gets no place
 * rather than a wrong one.
 */
import { LineIndex, type SourceLocation } from '../sdf/location.js';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function locateKey(source: string, key: string, file: string): SourceLocation | undefined {
  const pattern = new RegExp(`(?<![\\w$'"])(['"]?)${escapeRegExp(key)}\\1\\s*:`, 'g');
  const found = [...source.matchAll(pattern)];
  if (found.length !== 1) return undefined;
  return new LineIndex(source).locate(file, found[0]!.index!);
}
