/** Where the shared reference material is (CI has `../shared` beside the clone). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
export const SHARED = process.env.MICROKIT_SHARED ?? resolve(REPO, '../shared');
export const HAS_SHARED = existsSync(resolve(SHARED, 'conformance'));
export const SHARED_SDK = resolve(SHARED, 'sdk');
