// Benchmark databases: a fresh PostgreSQL database per run (BENCH_DATABASE_URL, else
// TEST_DATABASE_URL, else the local server), dropped afterwards even on error or Ctrl-C.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs `body` with everything it registers in `cleanup` undone afterwards, even on error or Ctrl-C. */
export async function withCleanup<T>(body: (cleanup: Array<() => Promise<unknown>>) => Promise<T>): Promise<T> {
  const cleanup: Array<() => Promise<unknown>> = [];
  let cleaned: Promise<void> | null = null;
  const runCleanup = () =>
    (cleaned ??= (async () => {
      for (const step of cleanup.reverse()) {
        try {
          await step();
        } catch (error) {
          console.error(`bench clean-up: ${(error as Error).message}`);
        }
      }
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    void runCleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body(cleanup);
  } finally {
    await runCleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(cleanup: Array<() => Promise<unknown>>): Promise<DatabaseHandle> {
  const name = `feedloom_bench_${randomBytes(6).toString('hex')}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'feedloom-bench-'));
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  await adminQuery(`create database ${name}`);
  cleanup.push(() => adminQuery(`drop database if exists ${name} with (force)`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), dataDir, command: 'bench' });
  cleanup.push(() => handle.close());
  await migrateToLatest(handle.db);
  return handle;
}

