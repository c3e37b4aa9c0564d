// Once per test run, before any file: the databases every test file's fresh database is a copy of
// (databases.ts). An embedded one as initdb leaves it and one migrated, and with TEST_DATABASE_URL
// a migrated PostgreSQL database; the migrated ones are made anew each run and removed after it.
// initdb's output depends on nothing of ours, and it is the slow part (seconds of WebAssembly):
// it is kept between runs in node_modules/.cache, one per PGlite version.
import { cp, mkdir, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import { adminQuery, databaseUrlFor, randomDatabaseName } from './databases.js';

const modules = (name: string) => fileURLToPath(new URL(`../../node_modules/${name}`, import.meta.url));
const cacheRoot = modules('.cache/feedloom-tests');

async function prepare(databaseUrl: string | null, dataDir: string, migrate: boolean): Promise<void> {
  const handle = await openDatabase({ databaseUrl, dataDir, command: 'vitest template' });
  try {
    if (migrate) await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
}

/** The data directory initdb makes, from the cache or made there now. */
async function blankEmbedded(): Promise<string> {
  const { version } = JSON.parse(await readFile(modules('@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  const cached = path.join(cacheRoot, `pglite-${version}-blank`);
  if (await stat(path.join(cached, 'pglite', 'PG_VERSION')).catch(() => null)) return cached;
  await mkdir(cacheRoot, { recursive: true });
  const making = await mkdtemp(path.join(cacheRoot, 'making-'));
  try {
    await prepare(null, making, false);
    // Whole or not at all; a run in parallel may have put one there first.
    await rename(making, cached).catch(() => undefined);
  } finally {
    await rm(making, { recursive: true, force: true });
  }
  return cached;
}

async function migratedEmbedded(root: string): Promise<{ blank: string; migrated: string }> {
  const blank = await blankEmbedded();
  const migrated = path.join(root, 'migrated');
  await cp(blank, migrated, { recursive: true });
  await prepare(null, migrated, true);
  return { blank, migrated };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(path.join(tmpdir(), 'feedloom-templates-'));
  const postgres = process.env.TEST_DATABASE_URL ? randomDatabaseName('feedloom_template') : null;
  const teardown = async () => {
    if (postgres) await adminQuery(`drop database if exists ${postgres} with (force)`);
    await rm(root, { recursive: true, force: true });
  };
  try {
    if (postgres) await adminQuery(`create database ${postgres}`);
    const [templates] = await Promise.all([migratedEmbedded(root), postgres ? prepare(databaseUrlFor(postgres), root, true) : null]);
    project.provide('pgliteTemplates', templates);
    project.provide('postgresTemplate', postgres);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
