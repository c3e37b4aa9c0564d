// Finding stories whose stored state disagrees with their items (for `feedloom doctor`, and for
// the invariant tests): what src/stories keeps true by construction, checked from the outside.
import { sql } from 'kysely';
import type { Executor } from '../executor.js';

export interface StoryDrift {
  /** Stories whose item count, source count or time span differ from a recount (empty ones still open included). */
  miscounted: string[];
  /** Merged-away stories that still hold items. */
  mergedWithItems: string[];
  /** Copies that are not in their original's story. */
  strayCopies: string[];
  /** Copies whose original is itself a copy. */
  chainedCopies: string[];
  /** Items in no story. */
  homeless: string[];
  /** Stories with headlined originals but no label. */
  unlabelled: string[];
}

/** Every kind of drift, at most `limit` ids of each. */
export async function findStoryDrift(db: Executor, limit = 1000): Promise<StoryDrift> {
  const ids = async (query: ReturnType<typeof sql<{ id: string }>>) => (await query.execute(db)).rows.map((r) => r.id);
  const miscounted = await ids(sql<{ id: string }>`
    select c.id::text as id from clusters c
    left join (
      select cluster_id, count(*)::int as items, count(distinct source_id)::int as sources,
             min(coalesce(published_at, fetched_at)) as first_at, max(coalesce(published_at, fetched_at)) as last_at
      from items where cluster_id is not null group by cluster_id
    ) s on s.cluster_id = c.id
    where c.status <> 'merged' and (
      c.item_count <> coalesce(s.items, 0) or c.source_count <> coalesce(s.sources, 0)
      or c.first_published_at is distinct from s.first_at or c.last_published_at is distinct from s.last_at
      or (s.items is null and c.status = 'open'))
    order by c.id limit ${limit}
  `);
  const mergedWithItems = await ids(sql<{ id: string }>`
    select c.id::text as id from clusters c
    where c.status = 'merged' and exists (select 1 from items i where i.cluster_id = c.id)
    order by c.id limit ${limit}
  `);
  const strayCopies = await ids(sql<{ id: string }>`
    select d.id::text as id from items d join items o on o.id = d.duplicate_of
    where d.cluster_id is distinct from o.cluster_id and o.cluster_id is not null
    order by d.id limit ${limit}
  `);
  const chainedCopies = await ids(sql<{ id: string }>`
    select d.id::text as id from items d join items o on o.id = d.duplicate_of
    where o.duplicate_of is not null
    order by d.id limit ${limit}
  `);
  const homeless = await ids(sql<{ id: string }>`select id::text as id from items where cluster_id is null order by id limit ${limit}`);
  const unlabelled = await ids(sql<{ id: string }>`
    select c.id::text as id from clusters c
    where c.label is null and c.status <> 'merged'
      and exists (select 1 from items i where i.cluster_id = c.id and i.duplicate_of is null and i.title is not null)
    order by c.id limit ${limit}
  `);
  return { miscounted, mergedWithItems, strayCopies, chainedCopies, homeless, unlabelled };
}

/** Points copies of copies at the root original (the chain's end); returns the stories touched. */
export async function flattenCopyChains(db: Executor, itemIds: string[]): Promise<string[]> {
  if (itemIds.length === 0) return [];
  const { rows } = await sql<{ cluster_id: string | null }>`
    with recursive chain(id, root, depth) as (
      select d.id, d.duplicate_of, 1 from items d where d.id = any(${itemIds}::bigint[])
      union all
      select chain.id, o.duplicate_of, chain.depth + 1 from chain join items o on o.id = chain.root
      where o.duplicate_of is not null and chain.depth < 50
    ), roots as (
      select distinct on (id) id, root from chain order by id, depth desc
    )
    update items i set duplicate_of = roots.root from roots where i.id = roots.id and roots.root <> i.id
    returning i.cluster_id::text
  `.execute(db);
  return [...new Set(rows.map((r) => r.cluster_id).filter((id): id is string => id !== null))];
}

/** Moves the items of merged-away stories to the story they were merged into; returns the targets. */
export async function moveItemsOutOfMergedStories(db: Executor, storyIds: string[]): Promise<string[]> {
  if (storyIds.length === 0) return [];
  const { rows } = await sql<{ cluster_id: string }>`
    update items i set cluster_id = c.merged_into from clusters c
    where i.cluster_id = c.id and c.id = any(${storyIds}::bigint[]) and c.status = 'merged' and c.merged_into is not null
    returning i.cluster_id::text
  `.execute(db);
  return [...new Set(rows.map((r) => r.cluster_id))];
}

/** Merged stories whose target is gone but that hold items become ordinary stories again. */
export async function reopenOrphanedMerged(db: Executor, storyIds: string[]): Promise<void> {
  if (storyIds.length === 0) return;
  await sql`
    update clusters set status = 'open' where id = any(${storyIds}::bigint[]) and status = 'merged' and merged_into is null
  `.execute(db);
}
