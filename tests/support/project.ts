/** Temporary projects outside the repository: the hello example, and config files written by the test. */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO } from './paths.js';

/** A directory with hello.system and hello.elf (the repository's examples/hello). */
export function helloProject(prefix = 'mk-project-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const f of ['hello.system', 'hello.elf']) copyFileSync(join(REPO, 'examples', 'hello', f), join(dir, f));
  return dir;
}

/** Write files (path relative to `dir` → content), making directories as needed. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}
