// Retention: deletes items older than RETENTION_DAYS (their stories settle through src/stories:
// recounted, described again, closed when empty), then stories left without items, old fetch
// history and change-log entries older than a day; and closes stories idle for three days.
// Deletes go in small batches, each its own short transaction, so the poller and the API never
// wait behind one long lock. Sources and topics are never pruned.
import type { Kysely } from 'kysely';
import { pruneChangeLog } from '../../db/queries/change-log.js';
import { pruneFetchHistory } from '../../db/queries/fetch-history.js';
import type { Database } from '../../db/schema.js';
import { closeIdle, deleteEmptyBatch, pruneBatch } from '../stories/story-store.js';

export interface RetentionOptions {
  retentionDays: number;
  batchSize?: number;
  /** Fetch history is operational data; it is kept for at most this many days. */
  historyDays?: number;
}

export interface RetentionReport {
  items: number;
  clusters: number;
  fetchHistory: number;
  /** Stories closed for inactivity. */
  closed: number;
}

/** A story no article has joined for this long is closed (placement looks back 36 hours). */
const IDLE_HOURS = 72;

export async function pruneOnce(
  db: Kysely<Database>,
  options: RetentionOptions,
  signal?: AbortSignal,
  now: Date = new Date(),
): Promise<RetentionReport> {
  const batch = options.batchSize ?? 500;
  const itemCutoff = new Date(now.getTime() - options.retentionDays * 86_400_000);
  const historyCutoff = new Date(now.getTime() - Math.min(options.historyDays ?? 30, options.retentionDays) * 86_400_000);
  const report: RetentionReport = { items: 0, clusters: 0, fetchHistory: 0, closed: 0 };

  // Each story batch is a transaction of its own under the story lock (story-store.ts).
  report.items = await inBatches(signal, () => pruneBatch(db, itemCutoff, batch));
  report.clusters = await inBatches(signal, () => deleteEmptyBatch(db, batch));
  report.fetchHistory = await inBatches(signal, () => pruneFetchHistory(db, historyCutoff, batch));
  // Readers can tell a finished story from a running one.
  report.closed = await closeIdle(db, IDLE_HOURS, now);
  // Workers catch up on each other's dedup through the log; one idle for longer reloads instead.
  await inBatches(signal, () => pruneChangeLog(db, new Date(now.getTime() - 86_400_000), batch));
  return report;
}

async function inBatches(signal: AbortSignal | undefined, step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    if (signal?.aborted) return total;
    const n = await step();
    total += n;
    if (n === 0) return total;
  }
}
