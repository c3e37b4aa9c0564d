// The one way a story changes. Opening, placing, merging, splitting, closing, pruning, removing a
// source's items, recounting and relabelling all live here, and each ends by settling the stories
// it touched: their stored counts and time span are recounted from their items, a story left
// empty is closed (no longer listed or published), and a story that lost articles is described
// again from those it kept. Callers never adjust a story's rows themselves, so counts, labels,
// terms and copies' links are right by construction rather than by every caller remembering.
import type { Executor } from '../../db/executor.js';
import * as items from '../../db/queries/items.js';
import * as stories from '../../db/queries/stories.js';
import type { Placement, StoryDescription } from '../../db/queries/stories.js';
import { describeArticles, describedArticle } from '../cluster/describe.js';
import type { StoryWrites } from '../cluster/clusterer.js';

/** Rows deleted per statement: each batch is short, so pollers and the API never wait long. */
const DELETE_BATCH = 500;

/** Recounts these stories and closes the empty ones; describes again those in `relabel` that kept items. */
export async function settle(db: Executor, touched: Iterable<string>, relabel: Iterable<string> = []): Promise<void> {
  const ids = [...new Set(touched)];
  const empty = new Set(await stories.recountStories(db, ids));
  await relabelStories(db, [...new Set(relabel)].filter((id) => !empty.has(id)));
}

/** Describes stories again from the articles they hold (after they lost some). */
export async function relabelStories(db: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const byStory = new Map<string, ReturnType<typeof describedArticle>[]>(ids.map((id) => [id, []]));
  for (const row of await items.articlesOfStories(db, ids)) byStory.get(String(row.cluster_id))?.push(describedArticle(row));
  const described: StoryDescription[] = [];
  for (const [id, articles] of byStory) if (articles.length > 0) described.push({ id, ...describeArticles(articles) });
  await stories.describeStories(db, described);
}

/** Recounts stories from their items (and closes the empty ones). */
export async function recount(db: Executor, ids: Iterable<string>): Promise<void> {
  await settle(db, ids);
}

/** Placement as the clusterer asks for it. */
export const storyWrites: StoryWrites = {
  newStoryIds: stories.newStoryIds,
  async place(db: Executor, placements: Placement[], described: StoryDescription[], fresh: ReadonlySet<string>) {
    const placed = await stories.writePlacements(db, placements, described, fresh);
    await settle(db, [...placed.stories, ...described.map((d) => d.id)]);
    return placed.missed;
  },
  async merge(db: Executor, from: string, into: string, described: StoryDescription) {
    await stories.mergeStories(db, from, into);
    await stories.describeStories(db, [described]);
    await settle(db, [into]);
  },
};

/**
 * After dedup and clustering of a stored batch: an original that took a group over joins its
 * copies' story, copies join their originals' stories, and whatever is still without a story opens
 * one of its own, so every item is in exactly one story. Returns the stories opened.
 */
export async function placeRemaining(db: Executor, itemIds: string[]): Promise<number> {
  const joined = await stories.joinOriginalStories(db, itemIds);
  const opened = await stories.openSingletonStories(db, itemIds);
  await settle(db, [...joined, ...opened], opened);
  return opened.length;
}

/** Before clustering a batch: originals that took a group over keep the group's story (see dedup). */
export async function keepTakenOverStories(db: Executor, itemIds: string[]): Promise<void> {
  await settle(db, await stories.joinOriginalStories(db, itemIds));
}

/**
 * Splits an over-grown story: the given items and their copies become a story of their own. Both
 * stories are described again from what they hold. Returns the new story's id, or null when none
 * of the items is in the story.
 */
export async function split(db: Executor, storyId: string, itemIds: string[]): Promise<string | null> {
  const fresh = await stories.moveToNewStory(db, storyId, itemIds);
  if (fresh) await settle(db, [storyId, fresh], [storyId, fresh]);
  return fresh;
}

/** Merges story `from` into `into` (the older id survives by convention of the caller). */
export async function merge(db: Executor, from: string, into: string): Promise<void> {
  await stories.mergeStories(db, from, into);
  await settle(db, [into], [into]);
}

/** Closes open stories no article joined for `idleHours`. */
export async function closeIdle(db: Executor, idleHours: number, now: Date = new Date()): Promise<number> {
  return stories.closeIdleStories(db, idleHours, now);
}

/** Deletes items, handing a deleted original's place to its earliest copy; their stories settle. */
export async function deleteItems(db: Executor, ids: string[]): Promise<number> {
  const touched = await items.deleteItems(db, ids);
  await settle(db, touched, touched);
  return ids.length;
}

/** Deletes one batch of items older than `before`; 0 when none is left. Run each batch in its own transaction. */
export async function pruneBatch(db: Executor, before: Date, limit = DELETE_BATCH): Promise<number> {
  return deleteItems(db, await items.itemIdsBefore(db, before, limit));
}

/** Deletes every item of a source (in batches, in the caller's transaction); returns how many. */
export async function deleteItemsOfSource(db: Executor, sourceId: string): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = await items.itemIdsOfSource(db, sourceId, DELETE_BATCH);
    if (ids.length === 0) return total;
    total += await deleteItems(db, ids);
  }
}

/** Deletes one batch of stories that hold nothing (merged-away ids whose target lives are kept). */
export async function deleteEmptyBatch(db: Executor, limit = DELETE_BATCH): Promise<number> {
  return stories.deleteEmptyStories(db, limit);
}
