// Counts for /metrics, read at scrape time so every process reports the shared database's truth.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface StoreStats {
  sourcesByStatus: Record<string, number>;
  items: number;
  duplicates: number;
  clusters: number;
  /** Fetches in the last hour by outcome, across all workers. */
  recentFetches: Record<string, number>;
  recentFetchMs: number;
}

export async function storeStats(db: Kysely<Database>): Promise<StoreStats> {
  const sources = await db.selectFrom('sources').select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute();
  const items = await db
    .selectFrom('items')
    .select([sql<number>`count(*)::int`.as('n'), sql<number>`count(duplicate_of)::int`.as('dups')])
    .executeTakeFirstOrThrow();
  // Stories as readers see them: merged-away ids and emptied stories are not stories any more.
  const clusters = await db
    .selectFrom('clusters')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('status', '<>', 'merged')
    .where('item_count', '>', 0)
    .executeTakeFirstOrThrow();
  const fetches = await db
    .selectFrom('fetch_history')
    .select(['status', sql<number>`count(*)::int`.as('n'), sql<number>`coalesce(sum(duration_ms), 0)::float8`.as('ms')])
    .where('started_at', '>', sql<Date>`now() - interval '1 hour'`)
    .groupBy('status')
    .execute();
  return {
    sourcesByStatus: Object.fromEntries(sources.map((r) => [r.status, r.n])),
    items: items.n,
    duplicates: items.dups,
    clusters: clusters.n,
    recentFetches: Object.fromEntries(fetches.map((r) => [r.status, r.n])),
    recentFetchMs: fetches.reduce((sum, r) => sum + Number(r.ms), 0),
  };
}
