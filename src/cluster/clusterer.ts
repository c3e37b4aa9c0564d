// The clustering step of a poll: places each new original article (copies follow their original,
// see dedup) into a story, or opens one. Runs inside the poll's store transaction, after dedup and
// under its lock, so store transactions cluster one at a time and in commit order.
//
// Like the band index, the story index lives in the worker's memory: it is rebuilt from the
// stories of the last days at the first batch (or after an hour idle), and catches up with what
// other workers placed through the change log. Story ids never change when a story grows:
// published feeds key their entries on them.
//
// The clusterer decides; it writes nothing itself. Every change to a story goes through the
// StoryWrites it is given (src/stories), which keeps each story's counts true.
import type { Executor } from '../../db/executor.js';
import { readArticles, readPlacedSince, readRecentArticles } from '../../db/queries/items.js';
import type { Placement, StoryDescription } from '../../db/queries/stories.js';
import { LABEL_TERMS, SHOWN_TERMS, chooseLabel, describedArticle, presentable } from './describe.js';
import { DEFAULT_CLUSTER_SETTINGS, StoryIndex, type ClusterSettings, type StoryArticle } from './story-index.js';

/** What the clusterer needs done to stories (src/stories/story-store.ts provides it). */
export interface StoryWrites {
  /** `n` ids for stories this batch opens. */
  newStoryIds(db: Executor, n: number): Promise<string[]>;
  /**
   * Opens the stories in `fresh`, places the items, sets the described stories' labels and terms.
   * Returns the items that could not be placed (their story is gone).
   */
  place(db: Executor, placements: Placement[], described: StoryDescription[], fresh: ReadonlySet<string>): Promise<string[]>;
  /** Merges story `from` into `into`, which is then described so; false when the database has neither as an open story. */
  merge(db: Executor, from: string, into: string, described: StoryDescription): Promise<boolean>;
}

const HOUR = 3_600_000;
const RELOAD_AFTER_IDLE = HOUR;
/**
 * Two stories whose centroids reach this similarity (with the time decay) have converged on one
 * event — typically two early reports that shared too little, joined later by articles like both —
 * and are merged. Well above the placement threshold: a merge moves many articles at once.
 */
export const MERGE_THRESHOLD = 0.35;

export interface ClusterResult {
  /** Stories opened by this batch. */
  opened: number;
  /** Stories merged into others after this batch. */
  merged: number;
  /** Articles placed in existing stories. */
  joined: number;
}

export class Clusterer {
  private index: StoryIndex;
  private seenSeq: string | null = null;
  private lastBatch = 0;
  /** The latest publication time seen, and articles since the last prune. */
  private latest = 0;
  private sincePrune = 0;
  /** Titles of recent articles by story, for labels. */
  private readonly titles = new Map<string, Array<{ title: string; article: StoryArticle }>>();

  constructor(
    private readonly writes: StoryWrites,
    readonly settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS,
  ) {
    this.index = new StoryIndex(settings);
  }

  private remember(storyId: string, article: StoryArticle & { title: string | null }): void {
    this.index.add(storyId, article);
    this.latest = Math.max(this.latest, article.at);
    this.sincePrune += 1;
    if (!article.title) return;
    const list = this.titles.get(storyId) ?? [];
    list.push({ title: article.title, article });
    if (list.length > 24) list.shift();
    this.titles.set(storyId, list);
  }

  private async reload(db: Executor): Promise<void> {
    this.index = new StoryIndex(this.settings);
    this.titles.clear();
    const since = new Date(Date.now() - 2 * this.settings.windowHours * HOUR);
    const { articles, seq } = await readRecentArticles(db, since);
    for (const row of articles) {
      const article = describedArticle(row);
      this.index.observe(article.features);
      this.remember(row.cluster_id!, article);
    }
    this.seenSeq = seq;
  }

  /** The label: the headline of the story's article closest to what the story is about. */
  private describe(storyId: string): StoryDescription {
    const terms = this.index.topTerms(storyId, LABEL_TERMS);
    const label = chooseLabel((this.titles.get(storyId) ?? []).map(({ title, article }) => ({ title, features: article.features })), terms);
    return { id: storyId, label, terms: presentable(terms).slice(0, SHOWN_TERMS) };
  }

  /** Places the batch's new original articles in stories; runs after dedup, in its transaction. */
  async clusterNewItems(db: Executor, itemIds: string[]): Promise<ClusterResult> {
    const result: ClusterResult = { opened: 0, joined: 0, merged: 0 };
    if (itemIds.length === 0) return result;
    if (this.seenSeq === null || Date.now() - this.lastBatch > RELOAD_AFTER_IDLE) {
      await this.reload(db);
    } else {
      const { articles, seq } = await readPlacedSince(db, this.seenSeq, itemIds);
      for (const row of articles) {
        const article = describedArticle(row);
        this.index.observe(article.features);
        this.remember(row.cluster_id!, article);
      }
      this.seenSeq = seq;
    }
    this.lastBatch = Date.now();

    this.pruneOld();
    const batch = (await readArticles(db, itemIds)).filter((row) => row.duplicate_of === null && row.cluster_id === null);
    const articles = batch.map(describedArticle);
    const decided: Array<{ article: (typeof articles)[number]; placement: ReturnType<StoryIndex['place']> }> = [];
    // Stories opened in this batch get ids once we know how many; until then a stand-in.
    let provisional = 0;
    for (const article of articles) {
      this.index.observe(article.features);
      const placement = this.index.place(article);
      const storyId = placement.storyId ?? `new:${provisional++}`;
      this.remember(storyId, article);
      decided.push({ article, placement: { ...placement, storyId } });
    }
    const ids = await this.writes.newStoryIds(db, provisional);
    const realId = (id: string) => (id.startsWith('new:') ? ids[Number(id.slice(4))]! : id);
    for (let i = 0; i < provisional; i++) this.rename(`new:${i}`, ids[i]!);

    const placements: Placement[] = decided.map(({ article, placement }) => {
      const opened = placement.storyId!.startsWith('new:') && placement.similarity < this.settings.threshold;
      return {
        itemId: article.id,
        clusterId: realId(placement.storyId!),
        similarity: opened ? null : Math.round(placement.similarity * 1000) / 1000,
        reason: opened
          ? { reason: 'new story' }
          : { reason: 'similar', similarity: Math.round(placement.similarity * 1000) / 1000, sharedTerms: presentable(placement.sharedTerms), timeGapHours: placement.timeGapHours },
      };
    });
    result.opened = provisional;
    result.joined = placements.length - placements.filter((p) => p.similarity === null).length;
    const touched = [...new Set(placements.map((p) => p.clusterId))];
    const missed = await this.writes.place(db, placements, touched.map((id) => this.describe(id)), new Set(ids));
    if (missed.length > 0) {
      // The index knew a story the database no longer has (deleted by retention, emptied by a
      // source's removal): those items open stories of their own, and the next batch reloads.
      this.seenSeq = null;
      result.joined -= missed.length;
      return result;
    }
    result.merged = await this.mergeConverged(db, touched);
    return result;
  }

  /**
   * Forgets stories that no new article could join any more. Measured from the latest article
   * seen rather than the clock, so that replaying an old stream (eval) prunes the same way.
   */
  private pruneOld(): void {
    if (this.sincePrune < 500) return;
    this.sincePrune = 0;
    const before = this.latest - 2 * this.settings.windowHours * HOUR;
    this.index.prune(before);
    for (const id of this.titles.keys()) if (!this.index.has(id)) this.titles.delete(id);
  }

  /**
   * Merges each touched story with a story it has converged with. The older story (smaller id)
   * survives, so a long-running story's id — which published feeds key on — does not change.
   */
  private async mergeConverged(db: Executor, storyIds: string[]): Promise<number> {
    let merged = 0;
    for (const id of storyIds) {
      if (!this.index.has(id)) continue;
      const target = this.index.mergeTarget(id, MERGE_THRESHOLD);
      if (!target) continue;
      const [into, from] = BigInt(id) < BigInt(target.storyId) ? [id, target.storyId] : [target.storyId, id];
      this.index.merge(from, into);
      this.titles.set(into, [...(this.titles.get(into) ?? []), ...(this.titles.get(from) ?? [])].slice(-24));
      this.titles.delete(from);
      if (!(await this.writes.merge(db, from, into, this.describe(into)))) {
        // The index was behind the database (another worker merged or retention deleted one of
        // them): nothing was merged, and the next batch starts from what the database holds.
        this.seenSeq = null;
        break;
      }
      merged += 1;
    }
    return merged;
  }

  /** Gives a story opened in this batch its real id. */
  private rename(from: string, to: string): void {
    this.index.rename(from, to);
    const titles = this.titles.get(from);
    if (titles) {
      this.titles.delete(from);
      this.titles.set(to, titles);
    }
  }
}
