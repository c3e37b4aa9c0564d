// The change log (table dedup_log): every stored item numbered in the order its transaction passed
// the dedup lock. Workers catch up on each other's dedup and placements through it; a worker idle
// for longer than the log keeps entries reloads instead.
import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import { deleteOlderThan } from './batches.js';

/** The log's highest number ('0' when it is empty, else `fallback`). */
export async function changeLogHead(db: Executor, fallback = '0'): Promise<string> {
  const { rows } = await sql<{ seq: string | null }>`select max(seq)::text as seq from dedup_log`.execute(db);
  return rows[0]?.seq ?? fallback;
}

/** Deletes up to `limit` entries logged before `before`; returns how many. */
export function pruneChangeLog(db: Executor, before: Date, limit: number): Promise<number> {
  return deleteOlderThan(db, 'dedup_log', 'seq', 'logged_at', before, limit);
}
