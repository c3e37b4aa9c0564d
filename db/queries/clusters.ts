// Story (cluster) rows. Until the clustering stage lands, every new item opens a story of its own,
// which keeps the public invariant: every stored item belongs to exactly one cluster.
import { sql } from 'kysely';
import type { Executor } from '../executor.js';

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
      where id = any(${sql.val(itemIds)}::bigint[]) and cluster_id is null and duplicate_of is null
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

/** Puts each of these items that is a copy into its original's story. */
export async function joinOriginalStories(db: Executor, itemIds: string[]): Promise<void> {
  if (itemIds.length === 0) return;
  await sql`
    update items d set cluster_id = o.cluster_id
    from items o
    where d.id = any(${sql.val(itemIds)}::bigint[]) and d.duplicate_of = o.id and o.cluster_id is not null
      and d.cluster_id is distinct from o.cluster_id
  `.execute(db);
}

/** The stories these items belong to. */
export async function storiesOf(db: Executor, itemIds: string[]): Promise<string[]> {
  if (itemIds.length === 0) return [];
  const rows = await db.selectFrom('items').select('cluster_id').distinct().where('id', 'in', itemIds).where('cluster_id', 'is not', null).execute();
  return rows.map((r) => String(r.cluster_id));
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
