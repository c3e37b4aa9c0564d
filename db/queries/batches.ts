// Deleting old rows of a log-like table a batch at a time, so that no delete holds locks for long.
import { sql } from 'kysely';
import type { Executor } from '../executor.js';

/** Deletes up to `limit` rows of `table` whose `timeColumn` is before `before`; returns how many. */
export async function deleteOlderThan(db: Executor, table: 'fetch_history' | 'dedup_log', key: 'id' | 'seq', timeColumn: 'started_at' | 'logged_at', before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from ${sql.table(table)} where ${sql.ref(key)} in (
      select ${sql.ref(key)} from ${sql.table(table)} where ${sql.ref(timeColumn)} < ${before} limit ${limit})
  `.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
