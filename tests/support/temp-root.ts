/**
 * vitest globalSetup: every temporary directory a test makes (mkdtemp under os.tmpdir(), in the test
 * process or in a CLI it spawns) goes under one directory for the run, removed when the run ends.
 * Tests made tens of thousands of directories in /tmp and left them there: run after run, file
 * creation in /tmp slowed down (a hello build writing to /tmp went from 10 ms to 160 ms).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'microkit-tests-'));
  // Read by os.tmpdir() in the test workers (forked after this) and in every process they spawn.
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
