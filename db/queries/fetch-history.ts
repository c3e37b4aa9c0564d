// The fetch history: one row per poll of a source, for the admin API and metrics.
import type { Executor } from '../executor.js';
import { deleteOlderThan } from './batches.js';
import type { FetchStatus } from '../schema.js';

export interface HistoryEntry {
  sourceId: string;
  startedAt: Date;
  durationMs: number;
  status: FetchStatus;
  httpStatus: number | null;
  bytes: number | null;
  itemsNew: number;
  itemsUpdated: number;
  errorKind: string | null;
  errorMessage: string | null;
}

export async function recordFetch(db: Executor, entry: HistoryEntry): Promise<void> {
  await db
    .insertInto('fetch_history')
    .values({
      source_id: entry.sourceId,
      started_at: entry.startedAt,
      duration_ms: Math.round(entry.durationMs),
      status: entry.status,
      http_status: entry.httpStatus,
      bytes: entry.bytes,
      items_new: entry.itemsNew,
      items_updated: entry.itemsUpdated,
      error_kind: entry.errorKind,
      error_message: entry.errorMessage?.slice(0, 2000) ?? null,
    })
    .execute();
}

export async function fetchHistory(db: Executor, sourceId: string, limit: number) {
  return db.selectFrom('fetch_history').selectAll().where('source_id', '=', sourceId).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Deletes up to `limit` entries started before `before`; returns how many. */
export function pruneFetchHistory(db: Executor, before: Date, limit: number): Promise<number> {
  return deleteOlderThan(db, 'fetch_history', 'id', 'started_at', before, limit);
}
