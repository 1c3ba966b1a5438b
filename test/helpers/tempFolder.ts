// A temporary folder for a describe block's tests: its path known at once, made before the tests, removed after.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach } from 'node:test';

export interface TempFolderOptions {
  /** A fresh, empty folder for each test (made before it, removed after it) instead of one for the block. */
  readonly each?: boolean;
  /** Runs before the folder is removed (e.g. stops what still writes into it). */
  readonly beforeRemove?: () => unknown;
}

/** Call inside `describe`: returns the folder's path (under the OS temp folder, named `<prefix><random>`). */
export function tempFolder(prefix: string, options: TempFolderOptions = {}): string {
  const folder = join(tmpdir(), `${prefix}${randomBytes(6).toString('hex')}`);
  (options.each ? beforeEach : before)(async () => {
    await mkdir(folder);
  });
  (options.each ? afterEach : after)(async () => {
    await options.beforeRemove?.();
    await rm(folder, { recursive: true, force: true });
  });
  return folder;
}
