// The engines a storage test runs on: embedded PGlite always, PostgreSQL when TEST_DATABASE_URL
// is set. Each test file gets its own database (a fresh PGlite directory, or a fresh PostgreSQL
// database created next to TEST_DATABASE_URL's) and shares it between its tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type DatabaseHandle, type Engine } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import type { Database } from '../../db/schema.js';

export interface TestDatabase {
  engine: Engine;
  /** DATABASE_URL for child processes, or null for the embedded engine. */
  databaseUrl: string | null;
  /** DATA_DIR for the embedded engine (also set, unused, for PostgreSQL). */
  dataDir: string;
  /** Removes what create() made. */
  dispose(): Promise<void>;
}

export const engines: Engine[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'feedloom-test-'));
  if (engine === 'pglite') {
    return { engine, databaseUrl: null, dataDir, dispose: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set');
  const name = `feedloom_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    engine,
    databaseUrl: url.toString(),
    dataDir,
    async dispose() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Opens and migrates a test database in this process. */
export async function openTestDatabase(test: TestDatabase): Promise<DatabaseHandle> {
  const handle = await openDatabase({ databaseUrl: test.databaseUrl, dataDir: test.dataDir, command: 'vitest' });
  await migrateToLatest(handle.db);
  return handle;
}

/** Empties every table between tests; sequences restart so ids are predictable per test. */
export async function resetDatabase(db: Kysely<Database>): Promise<void> {
  await sql`truncate fetch_history, items, clusters, topics, sources, hosts restart identity cascade`.execute(db);
}

/** A database of `engine` for one test file: created before its tests, removed after them. */
export function useTestDatabase(engine: Engine): { readonly handle: DatabaseHandle; readonly test: TestDatabase } {
  let test: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    test = await createTestDatabase(engine);
    handle = await openTestDatabase(test);
  });
  afterAll(async () => {
    await handle?.close();
    await test?.dispose();
  });
  return {
    get handle() {
      return handle;
    },
    get test() {
      return test;
    },
  };
}
