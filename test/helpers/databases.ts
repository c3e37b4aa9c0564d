// The engines a storage test runs on: embedded PGlite always, PostgreSQL when TEST_DATABASE_URL
// is set. Each test file gets its own database (a fresh PGlite directory, or a fresh PostgreSQL
// database created next to TEST_DATABASE_URL's) and shares it between its tests: see
// environment.ts. A fresh database is a copy of a template migrated once per run (global-setup.ts):
// creating an embedded database from nothing runs initdb in WebAssembly, which takes many seconds.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle, type Engine } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import type { Database } from '../../db/schema.js';

export interface TestDatabase {
  engine: Engine;
  /** DATABASE_URL for commands, or null for the embedded engine. */
  databaseUrl: string | null;
  /** DATA_DIR for the embedded engine (also set, unused, for PostgreSQL). */
  dataDir: string;
  /** Removes what create() made. */
  dispose(): Promise<void>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** DATA_DIRs holding an embedded database as initdb left it, and one migrated, to copy. */
    pgliteTemplates: { blank: string; migrated: string } | null;
    /** A migrated PostgreSQL database next to TEST_DATABASE_URL's, to create databases from. */
    postgresTemplate: string | null;
  }
}

export const engines: Engine[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** TEST_DATABASE_URL with another database name. */
export function databaseUrlFor(name: string): string {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set');
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement on TEST_DATABASE_URL's database (creating and dropping databases). */
export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export const randomDatabaseName = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

/** A fresh database; `migrated: false` for one with no tables yet (as users start). */
export async function createTestDatabase(engine: Engine, { migrated = true } = {}): Promise<TestDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'feedloom-test-'));
  const removeDir = () => rm(dataDir, { recursive: true, force: true });
  if (engine === 'pglite') {
    const templates = inject('pgliteTemplates');
    if (templates) await cp(migrated ? templates.migrated : templates.blank, dataDir, { recursive: true });
    return { engine, databaseUrl: null, dataDir, dispose: removeDir };
  }
  const name = randomDatabaseName('feedloom_t');
  const template = migrated ? inject('postgresTemplate') : null;
  await adminQuery(`create database ${name}${template ? ` template ${template}` : ''}`);
  return {
    engine,
    databaseUrl: databaseUrlFor(name),
    dataDir,
    async dispose() {
      await adminQuery(`drop database if exists ${name} with (force)`);
      await removeDir();
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
