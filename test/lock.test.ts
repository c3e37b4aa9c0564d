import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE_NAME, lockDataDir } from '../db/lock.js';

describe('data directory lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'feedloom-lock-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('is exclusive within a process and released on release()', async () => {
    const lock = await lockDataDir(dir, 'feedloom serve');
    await lock.describe({ url: 'http://127.0.0.1:8080' });
    const error = await lockDataDir(dir, 'feedloom sources list').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toContain(`pid ${process.pid}`);
    expect((error as Error).message).toContain('feedloom serve, serving http://127.0.0.1:8080');
    await lock.release();
    const again = await lockDataDir(dir, 'feedloom sources list');
    await again.release();
  });

  it('refuses while another live process holds it', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      const owner = { pid: child.pid, hostname: hostname(), command: 'feedloom serve', startedAt: new Date().toISOString() };
      await writeFile(path.join(dir, LOCK_FILE_NAME), JSON.stringify(owner));
      await expect(lockDataDir(dir, 'feedloom migrate')).rejects.toThrow(
        new RegExp(`in use by another feedloom process \\(pid ${child.pid} `),
      );
    } finally {
      child.kill();
    }
  });

  it('takes over a lock whose process is gone', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => child.on('exit', resolve));
    const owner = { pid: child.pid, hostname: hostname(), command: 'feedloom serve', startedAt: '2026-01-01T00:00:00Z' };
    await writeFile(path.join(dir, LOCK_FILE_NAME), JSON.stringify(owner));
    const lock = await lockDataDir(dir, 'feedloom migrate');
    const onDisk = JSON.parse(await readFile(path.join(dir, LOCK_FILE_NAME), 'utf8')) as { pid: number };
    expect(onDisk.pid).toBe(process.pid);
    await lock.release();
  });
});
