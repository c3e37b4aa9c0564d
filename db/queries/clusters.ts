// Story (cluster) rows. Until the clustering stage lands, every new item opens a story of its own,
// which keeps the public invariant: every stored item belongs to exactly one cluster.
import { sql } from 'kysely';
import type { Executor } from './polling.js';

/**
 * Gives each item without a cluster a story of one; returns how many stories were opened.
 * One set-based statement per poll, not three per item: the cluster ids are drawn from the
 * sequence up front so the stories and the items' links to them are written together.
 */
export async function openSingletonStories(db: Executor, itemIds: string[]): Promise<number> {
  if (itemIds.length === 0) return 0;
  const result = await sql<{ id: string }>`
    with picked as (
      select id, coalesce(title, url) as label, coalesce(published_at, fetched_at) as at,
             nextval(pg_get_serial_sequence('clusters', 'id')) as cluster_id
      from items
      where id = any(${sql.val(itemIds)}::bigint[]) and cluster_id is null
    ), opened as (
      insert into clusters (id, label, first_published_at, last_published_at, item_count, source_count)
      select cluster_id, label, at, at, 1, 1 from picked
      returning id
    )
    update items
    set cluster_id = picked.cluster_id, cluster_reason = '{"reason":"new story"}'::jsonb
    from picked
    where items.id = picked.id
    returning items.id
  `.execute(db);
  return result.rows.length;
}

/** Recomputes the counts and time span of stories that gained or lost items. */
export async function refreshStoryCounts(db: Executor, clusterIds: Iterable<string>): Promise<void> {
  const ids = [...clusterIds];
  if (ids.length === 0) return;
  await sql`
    update clusters c
    set item_count = s.items, source_count = s.sources, first_published_at = s.first_at, last_published_at = s.last_at, updated_at = now()
    from (
      select cluster_id, count(*)::int as items, count(distinct source_id)::int as sources,
             min(coalesce(published_at, fetched_at)) as first_at, max(coalesce(published_at, fetched_at)) as last_at
      from items where cluster_id = any(${sql.val(ids)}::bigint[]) group by cluster_id
    ) s
    where c.id = s.cluster_id
  `.execute(db);
}
