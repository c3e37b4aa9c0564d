// Retention: deletes items older than RETENTION_DAYS, stories left without items, old fetch
// history, and dedup log entries older than a day; and closes stories idle for three days. Deletes go in small batches, each its own short transaction, so the poller and the API
// never wait behind one long lock. Sources and topics are never pruned.
import { sql, type Kysely } from 'kysely';
import { closeIdleStories } from '../../db/queries/stories-write.js';
import type { Database } from '../../db/schema.js';

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

  // An item's age is its publication time, or when we first saw it if it has none.
  report.items = await inBatches(signal, async () => {
    const result = await db
      .deleteFrom('items')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('items')
          .select('id')
          .where(sql<boolean>`coalesce(published_at, fetched_at) < ${itemCutoff}`)
          .limit(batch),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });

  report.clusters = await inBatches(signal, async () => {
    const result = await db
      .deleteFrom('clusters')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('clusters as c')
          .select('c.id')
          .where((w) => w.not(w.exists(w.selectFrom('items').select('items.id').whereRef('items.cluster_id', '=', 'c.id'))))
          // A merged-away id must keep redirecting while its target lives.
          .where((w) => w.or([w('c.merged_into', 'is', null), w('c.status', '<>', 'merged')]))
          .limit(batch),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });

  report.fetchHistory = await inBatches(signal, async () => {
    const result = await db
      .deleteFrom('fetch_history')
      .where('id', 'in', (eb) => eb.selectFrom('fetch_history').select('id').where('started_at', '<', historyCutoff).limit(batch))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });

  // A story no article has joined for three days is closed: placement would not consider it any
  // more (its window is 36 hours), and readers can tell a finished story from a running one.
  report.closed = await closeIdleStories(db, 72, now);

  // Workers catch up on each other's dedup through the log; one idle for longer reloads instead.
  const logCutoff = new Date(now.getTime() - 86_400_000);
  await inBatches(signal, async () => {
    const result = await db
      .deleteFrom('dedup_log')
      .where('seq', 'in', (eb) => eb.selectFrom('dedup_log').select('seq').where('logged_at', '<', logCutoff).limit(batch))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
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
