// An exclusive lock between windows (processes) on a shared file: a lock file created with O_EXCL that
// names its owner's pid. A lock whose owner has died, or that is held far longer than any write takes,
// is broken. No VS Code import.

import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';

/** How long an acquire waits for another window's lock before giving up. */
export const LOCK_WAIT_MS = 10_000;
/** A lock held this long belongs to a hung or dead window, whatever its pid says. */
export const LOCK_STALE_MS = 60_000;

export interface FileLock {
  /** Removes the lock file if it is still this lock's. Never throws. */
  release(): Promise<void>;
}

export interface LockOptions {
  readonly waitMs?: number;
  readonly staleMs?: number;
}

/** Whether a process with this id runs on this machine (ours counts as running). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let asideCounter = 0;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function tryCreate(path: string, content: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(content);
    } catch (e) {
      await handle.close();
      await unlink(path).catch(() => undefined);
      throw e;
    }
    await handle.close();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** The lock file's content if its owner is gone or it is too old; undefined while it is valid (or gone). */
async function staleContent(path: string, staleMs: number): Promise<string | undefined> {
  try {
    const [content, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const pid = Number(/^(\d+) /.exec(content)?.[1] ?? NaN);
    // An empty file is a lock whose owner is between creating and writing it, unless it is old.
    if (content === '') return Date.now() - info.mtimeMs > staleMs ? content : undefined;
    return !processAlive(pid) || Date.now() - info.mtimeMs > staleMs ? content : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Moves a stale lock aside and removes it. If what was moved is not the lock judged stale (its owner
 * released it and another window took the lock meanwhile), it is put back.
 */
async function breakLock(path: string, judged: string): Promise<void> {
  const aside = `${path}.${process.pid}.${++asideCounter}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, 'utf8').catch(() => judged);
  if (moved !== judged) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** Takes the lock at `path`, waiting for another owner up to `waitMs`; undefined when it could not. */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<FileLock | undefined> {
  const waitMs = options.waitMs ?? LOCK_WAIT_MS;
  const staleMs = options.staleMs ?? LOCK_STALE_MS;
  // Web Crypto (a global) rather than node:crypto: that module costs activation a noticeable load.
  const content = `${process.pid} ${Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('hex')}`;
  const deadline = Date.now() + waitMs;
  let pause = 2;
  for (;;) {
    if (await tryCreate(path, content)) {
      return {
        release: async () => {
          const now = await readFile(path, 'utf8').catch(() => undefined);
          if (now === content) await unlink(path).catch(() => undefined);
        },
      };
    }
    const stale = await staleContent(path, staleMs);
    if (stale !== undefined) await breakLock(path, stale);
    if (Date.now() >= deadline) return undefined;
    if (stale !== undefined) continue;
    await sleep(pause * (0.5 + Math.random()));
    pause = Math.min(pause * 2, 50);
  }
}
