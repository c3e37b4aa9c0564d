// An embedded PGlite database may be opened by exactly one process: two writers on one data
// directory corrupt it. We take an exclusive lock file before opening it. A lock whose process is
// gone (kill -9, power loss) is stale and taken over, so a crash never locks users out.
import { hostname } from 'node:os';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../src/errors.js';

export const LOCK_FILE_NAME = 'feedloom.lock';

/** What the lock file says about its holder, so the next process can explain who holds it. */
export interface LockOwner {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
  /** Where the holder serves HTTP, when it does. */
  url?: string;
}

export class DataDirLockedError extends UserError {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    const where = owner.url ? `, serving ${owner.url}` : '';
    super(
      `the embedded database in ${dataDir} is in use by another feedloom process ` +
        `(pid ${owner.pid} on ${owner.hostname}: ${owner.command}${where}, since ${owner.startedAt}); ` +
        `stop it first, or use its HTTP admin API, or share a PostgreSQL database through DATABASE_URL`,
      'locked',
    );
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Records the HTTP address in the lock so that other commands can point users to it. */
  describe(update: Partial<Pick<LockOwner, 'url'>>): Promise<void>;
  release(): Promise<void>;
}

// Locks held by this process: a second open of the same directory from inside one process is
// refused too (its pid is alive, so the file alone cannot tell).
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(file: string): Promise<LockOwner | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number') return null;
    return {
      pid: parsed.pid,
      hostname: String(parsed.hostname ?? ''),
      command: String(parsed.command ?? 'feedloom'),
      startedAt: String(parsed.startedAt ?? ''),
      ...(parsed.url ? { url: String(parsed.url) } : {}),
    };
  } catch {
    return null;
  }
}

async function isStale(file: string, owner: LockOwner | null): Promise<boolean> {
  // Unreadable: either its writer is between open and write right now, or it died there. Only
  // an old empty file is taken to be the latter.
  if (!owner) {
    const info = await stat(file).catch(() => null);
    return !info || Date.now() - info.mtimeMs > 5_000;
  }
  // A lock from another host (a shared volume) cannot be checked; we trust it.
  if (owner.hostname !== hostname()) return false;
  if (owner.pid === process.pid) return false;
  return !isAlive(owner.pid);
}

/**
 * Takes the lock on `dataDir` or throws DataDirLockedError naming the holder.
 * The directory must exist.
 */
export async function lockDataDir(dataDir: string, command: string): Promise<DataDirLock> {
  const file = path.join(dataDir, LOCK_FILE_NAME);
  if (heldHere.has(file)) {
    throw new DataDirLockedError(dataDir, (await readOwner(file)) ?? {
      pid: process.pid,
      hostname: hostname(),
      command,
      startedAt: '',
    });
  }
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), command, startedAt: new Date().toISOString() };

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o644);
      try {
        await handle.writeFile(JSON.stringify(owner));
      } finally {
        await handle.close();
      }
      heldHere.add(file);
      return makeLock(file, owner);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const existing = await readOwner(file);
    if (!(await isStale(file, existing))) {
      if (existing) throw new DataDirLockedError(dataDir, existing);
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    // Move the stale file aside rather than deleting it: if two processes race to take over,
    // only one rename succeeds and the other retries and finds the winner's live lock.
    const aside = `${file}.stale-${process.pid}-${Date.now()}`;
    try {
      await rename(file, aside);
      await unlink(aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const holder = await readOwner(file);
  if (holder) throw new DataDirLockedError(dataDir, holder);
  throw new UserError(`could not lock ${file}: it keeps changing; is another feedloom starting?`, 'locked');
}

function makeLock(file: string, owner: LockOwner): DataDirLock {
  let current = owner;
  let released = false;
  return {
    path: file,
    async describe(update) {
      if (released) return;
      current = { ...current, ...update };
      // Write in place (not rename) so the file never disappears while we hold it.
      const handle = await open(file, 'r+');
      try {
        await handle.truncate(0);
        await handle.write(JSON.stringify(current), 0);
      } finally {
        await handle.close();
      }
    },
    async release() {
      if (released) return;
      released = true;
      heldHere.delete(file);
      // Only remove the file if it is still ours.
      const onDisk = await readOwner(file);
      if (onDisk && (onDisk.pid !== current.pid || onDisk.startedAt !== current.startedAt)) return;
      await unlink(file).catch(() => undefined);
    },
  };
}
