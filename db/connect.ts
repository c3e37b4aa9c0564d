// One SQL dialect, two engines: PostgreSQL through `pg` when DATABASE_URL is set, otherwise the
// embedded PGlite (PostgreSQL compiled to WASM) in DATA_DIR, reached through PGlite's node-postgres
// adapter so kysely's own PostgresDialect drives both. Every query path is therefore the same.
import { mkdir, access, constants } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { usePreparedStatements } from './prepared.js';
import type { Logger } from 'pino';
import { redactDatabaseUrl } from '../src/config/config.js';
import { UserError, messageOf } from '../src/errors.js';
import { lockDataDir, type DataDirLock } from './lock.js';
import type { Database } from './schema.js';

export type Engine = 'postgres' | 'pglite';

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the data is, for logs: a redacted URL or a directory. */
  location: string;
  /** The data-directory lock, for the embedded engine. */
  lock: DataDirLock | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** Recorded in the embedded lock so others can tell who holds it ("feedloom serve"). */
  command: string;
  logger?: Logger;
  /** Pool size for PostgreSQL. PGlite is single-connection by nature. */
  poolSize?: number;
}

// int8 (bigint) stays a string: ids are strings in the API, and counts we cast explicitly.
// timestamptz parses to Date (pg's default), the same under both engines.

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openEmbedded(options.dataDir, options.command, options.logger);
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<DatabaseHandle> {
  const location = redactDatabaseUrl(databaseUrl);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'feedloom',
  });
  // An idle client that loses its server (restart, failover) emits 'error' on the pool; without a
  // listener that would crash the process. The pool replaces the client on next use.
  pool.on('error', () => undefined);
  usePreparedStatements(pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw new UserError(`cannot connect to PostgreSQL at ${location}: ${messageOf(error)}`, 'database', { cause: error });
  }
  return {
    db,
    engine: 'postgres',
    location,
    lock: null,
    close: () => db.destroy(),
  };
}

async function openEmbedded(dataDir: string, command: string, logger?: Logger): Promise<DatabaseHandle> {
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.W_OK);
  } catch (error) {
    throw new UserError(`DATA_DIR ${dataDir} is not a writable directory: ${messageOf(error)}`, 'data_dir', { cause: error });
  }
  const lock = await lockDataDir(dataDir, command);
  const pgliteDir = path.join(dataDir, 'pglite');
  // Imported lazily: PGlite's WASM is large and PostgreSQL deployments never need it.
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  let lite: InstanceType<typeof PGlite>;
  try {
    lite = await PGlite.create(pgliteDir);
  } catch (error) {
    await lock.release();
    throw new UserError(`cannot open the embedded database in ${pgliteDir}: ${messageOf(error)}`, 'database', { cause: error });
  }
  logger?.debug({ dataDir: pgliteDir }, 'embedded database open');
  const pool = new pg.Pool(createPgConfig(lite) as unknown as pg.PoolConfig);
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    engine: 'pglite',
    location: pgliteDir,
    lock,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.destroy();
        // Closing PGlite checkpoints and flushes the WASM file system to disk.
        await lite.close();
      } finally {
        await lock.release();
      }
    },
  };
}
