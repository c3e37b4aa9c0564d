// Migrations are imported statically rather than read from a folder, so they work the same from
// src/ under vitest or tsx and from the compiled dist/ — and a missing file is a compile error.
import type { Migration } from 'kysely/migration';
import * as initial from './0001_initial.js';
import * as hosts from './0002_hosts.js';
import * as dedup from './0003_dedup.js';
import * as dedupLog from './0004_dedup_log.js';

export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_hosts': hosts,
  '0003_dedup': dedup,
  '0004_dedup_log': dedupLog,
};
