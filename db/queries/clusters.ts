// Story (cluster) rows. Until the clustering stage lands, every new item opens a story of its own,
// which keeps the public invariant: every stored item belongs to exactly one cluster.
import { sql } from 'kysely';
import type { Executor } from './polling.js';

/** Gives each item without a cluster a story of one; returns how many stories were opened. */
export async function openSingletonStories(db: Executor, itemIds: string[]): Promise<number> {
  let opened = 0;
  for (const id of itemIds) {
    const item = await db
      .selectFrom('items')
      .select(['title', 'url', sql<Date>`coalesce(published_at, fetched_at)`.as('at')])
      .where('id', '=', id)
      .where('cluster_id', 'is', null)
      .executeTakeFirst();
    if (!item) continue;
    const cluster = await db
      .insertInto('clusters')
      .values({
        label: item.title ?? item.url,
        first_published_at: item.at,
        last_published_at: item.at,
        item_count: 1,
        source_count: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.updateTable('items').set({ cluster_id: cluster.id, cluster_reason: JSON.stringify({ reason: 'new story' }) }).where('id', '=', id).execute();
    opened += 1;
  }
  return opened;
}
