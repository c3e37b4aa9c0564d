// Online story clustering over an in-memory index of the stories active around now.
//
// Each article is compared only with stories that share one of its most telling terms (an inverted
// index from term to story) and whose time span lies within the window of its publication time.
// Similarity is TF-IDF cosine, with document frequencies kept online, against both the story's
// centroid (what the story is about overall) and its closest recent article (reports of one event
// often agree with one earlier report more than with the mix). The article joins the best story at
// or above the threshold, else opens a story of its own. Nothing here touches the database: the
// caller persists decisions, and rebuilds the index from stored items when it starts.
import type { ArticleFeatures } from './features.js';

export interface ClusterSettings {
  /** Similarity at or above which an article joins a story. */
  threshold: number;
  /** An article may join a story whose articles lie within this many hours of it. */
  windowHours: number;
  /** How much a close match with one article counts against the centroid's similarity. */
  memberWeight: number;
  /** Similarity is divided by 1 + gap/timeScale, the gap in hours to the story's nearest article. */
  timeScaleHours: number;
}

// Chosen on the AllSides 2021 development set (../shared/datasets/clustering) by a grid over each
// parameter; the neighbourhood of these values scores within 0.005 B-cubed F1 of them (README).
export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = { threshold: 0.18, windowHours: 36, memberWeight: 0.9, timeScaleHours: 24 };

/** Terms of an article used to look up candidate stories. */
const LOOKUP_TERMS = 12;
/** Recent articles of a story kept for the closest-article similarity. */
const MEMBERS_KEPT = 24;
/** Terms kept in a story's centroid: enough to describe it, bounded for big stories. */
const CENTROID_TERMS = 400;

export interface StoryArticle {
  id: string;
  /** Publication time, ms. */
  at: number;
  features: ArticleFeatures;
}

/** A TF-IDF vector with its norm. */
interface Vector {
  weights: Map<string, number>;
  norm: number;
}

interface Member {
  at: number;
  /** Weighted with the document frequencies of when it joined: they change slowly. */
  vector: Vector;
}

interface Story {
  id: string;
  centroid: Map<string, number>;
  /** The centroid weighted, cached until the story changes or the corpus grows by a tenth. */
  weighted: { vector: Vector; documents: number } | null;
  members: Member[];
  size: number;
  first: number;
  last: number;
}

export interface Placement {
  /** The story to join, or null to open a new one. */
  storyId: string | null;
  similarity: number;
  /** The terms that weigh most in the similarity (for explanations). */
  sharedTerms: string[];
  /** Hours between the article and the story's nearest article. */
  timeGapHours: number | null;
}

export class StoryIndex {
  private readonly stories = new Map<string, Story>();
  private readonly postings = new Map<string, Set<string>>();
  private readonly documentFrequency = new Map<string, number>();
  private documents = 0;

  constructor(readonly settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS) {}

  get size(): number {
    return this.stories.size;
  }

  has(storyId: string): boolean {
    return this.stories.has(storyId);
  }

  private idf(term: string): number {
    return Math.log((this.documents + 1) / ((this.documentFrequency.get(term) ?? 0) + 1)) + 1;
  }

  private weighted(terms: Map<string, number>): Vector {
    const weights = new Map<string, number>();
    let sum = 0;
    for (const [term, tf] of terms) {
      const w = (1 + Math.log(tf)) * this.idf(term);
      weights.set(term, w);
      sum += w * w;
    }
    return { weights, norm: Math.sqrt(sum) };
  }

  private centroidOf(story: Story): Vector {
    if (!story.weighted || this.documents > story.weighted.documents * 1.1) {
      story.weighted = { vector: this.weighted(story.centroid), documents: this.documents };
    }
    return story.weighted.vector;
  }

  private cosine(a: Vector, b: Vector, explain: boolean): { score: number; shared: Array<[string, number]> } {
    let dot = 0;
    const shared: Array<[string, number]> = [];
    const [small, large] = a.weights.size <= b.weights.size ? [a.weights, b.weights] : [b.weights, a.weights];
    for (const [term, v] of small) {
      const w = large.get(term);
      if (w !== undefined) {
        dot += v * w;
        if (explain) shared.push([term, v * w]);
      }
    }
    return { score: a.norm && b.norm ? dot / (a.norm * b.norm) : 0, shared };
  }

  /** Counts an article's terms in the document frequencies (once per article). */
  observe(features: ArticleFeatures): void {
    this.documents += 1;
    for (const term of features.terms.keys()) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
  }

  /** Where an article belongs, without changing anything. */
  place(article: StoryArticle): Placement {
    const window = this.settings.windowHours * 3_600_000;
    const vector = this.weighted(article.features.terms);
    const lookup = [...vector.weights].sort((x, y) => y[1] - x[1]).slice(0, LOOKUP_TERMS);
    const candidates = new Set<string>();
    for (const [term] of lookup) for (const id of this.postings.get(term) ?? []) candidates.add(id);

    let best: Placement = { storyId: null, similarity: 0, sharedTerms: [], timeGapHours: null };
    for (const id of candidates) {
      const story = this.stories.get(id)!;
      if (article.at < story.first - window || article.at > story.last + window) continue;
      const centroid = this.cosine(vector, this.centroidOf(story), false);
      let member = 0;
      let closest: Member | null = null;
      for (const m of story.members) {
        if (Math.abs(m.at - article.at) > window) continue;
        const c = this.cosine(vector, m.vector, false).score;
        if (c > member) [member, closest] = [c, m];
      }
      const gap = article.at < story.first ? story.first - article.at : article.at > story.last ? article.at - story.last : 0;
      const decay = 1 + gap / 3_600_000 / this.settings.timeScaleHours;
      const score = Math.max(centroid.score, member * this.settings.memberWeight) / decay;
      if (score > best.similarity) {
        const explained = centroid.score >= member * this.settings.memberWeight || !closest ? this.centroidOf(story) : closest.vector;
        const shared = this.cosine(vector, explained, true).shared;
        best = {
          storyId: id,
          similarity: score,
          sharedTerms: shared.sort((x, y) => y[1] - x[1]).slice(0, 8).map(([t]) => t),
          timeGapHours: Math.round((gap / 3_600_000) * 10) / 10,
        };
      }
    }
    return best.similarity >= this.settings.threshold ? best : { ...best, storyId: null };
  }

  /** Adds an article to a story (creating the story if it is new). */
  add(storyId: string, article: StoryArticle): void {
    let story = this.stories.get(storyId);
    if (!story) {
      story = { id: storyId, centroid: new Map(), weighted: null, members: [], size: 0, first: article.at, last: article.at };
      this.stories.set(storyId, story);
    }
    story.size += 1;
    story.first = Math.min(story.first, article.at);
    story.last = Math.max(story.last, article.at);
    story.members.push({ at: article.at, vector: this.weighted(article.features.terms) });
    story.weighted = null;
    if (story.members.length > MEMBERS_KEPT) story.members.shift();
    for (const [term, tf] of article.features.terms) story.centroid.set(term, (story.centroid.get(term) ?? 0) + tf);
    if (story.centroid.size > CENTROID_TERMS * 1.5) {
      const kept = [...story.centroid].sort((x, y) => y[1] * this.idf(y[0]) - x[1] * this.idf(x[0])).slice(0, CENTROID_TERMS);
      for (const term of story.centroid.keys()) this.postings.get(term)?.delete(storyId);
      story.centroid = new Map(kept);
    }
    for (const term of story.centroid.keys()) {
      let set = this.postings.get(term);
      if (!set) this.postings.set(term, (set = new Set()));
      set.add(storyId);
    }
  }

  /** The story's most telling terms, for its `terms` and label. */
  topTerms(storyId: string, n = 8): string[] {
    const story = this.stories.get(storyId);
    if (!story) return [];
    return [...this.centroidOf(story).weights].sort((x, y) => y[1] - x[1]).slice(0, n).map(([t]) => t);
  }

  /**
   * The story `storyId` has converged with, if any: the most similar story (centroid cosine,
   * divided by the time decay as for articles) at or above `threshold`, among those sharing one of
   * its most telling terms within the window.
   */
  mergeTarget(storyId: string, threshold: number): { storyId: string; similarity: number } | null {
    const story = this.stories.get(storyId);
    if (!story) return null;
    const window = this.settings.windowHours * 3_600_000;
    const vector = this.centroidOf(story);
    const lookup = [...vector.weights].sort((x, y) => y[1] - x[1]).slice(0, LOOKUP_TERMS);
    const candidates = new Set<string>();
    for (const [term] of lookup) for (const id of this.postings.get(term) ?? []) if (id !== storyId) candidates.add(id);
    let best: { storyId: string; similarity: number } | null = null;
    for (const id of candidates) {
      const other = this.stories.get(id)!;
      if (other.first > story.last + window || other.last < story.first - window) continue;
      const gap = Math.max(0, other.first - story.last, story.first - other.last);
      const score = this.cosine(vector, this.centroidOf(other), false).score / (1 + gap / 3_600_000 / this.settings.timeScaleHours);
      if (score >= threshold && (!best || score > best.similarity)) best = { storyId: id, similarity: score };
    }
    return best;
  }

  /** Moves story `from` into story `into`. */
  merge(from: string, into: string): void {
    const source = this.stories.get(from);
    const target = this.stories.get(into);
    if (!source || !target || from === into) return;
    for (const [term, tf] of source.centroid) {
      target.centroid.set(term, (target.centroid.get(term) ?? 0) + tf);
      const set = this.postings.get(term);
      set?.delete(from);
      if (set) set.add(into);
      else this.postings.set(term, new Set([into]));
    }
    target.members.push(...source.members);
    target.members.sort((a, b) => a.at - b.at);
    if (target.members.length > MEMBERS_KEPT) target.members.splice(0, target.members.length - MEMBERS_KEPT);
    target.size += source.size;
    target.first = Math.min(target.first, source.first);
    target.last = Math.max(target.last, source.last);
    target.weighted = null;
    this.stories.delete(from);
  }

  /** Gives a story another id (a stand-in id replaced by the one the database handed out). */
  rename(from: string, to: string): void {
    const story = this.stories.get(from);
    if (!story) return;
    this.stories.delete(from);
    story.id = to;
    this.stories.set(to, story);
    for (const term of story.centroid.keys()) {
      const set = this.postings.get(term);
      if (set?.delete(from)) set.add(to);
    }
  }

  /** Forgets stories whose last article is before `before`. */
  prune(before: number): void {
    for (const [id, story] of this.stories) {
      if (story.last >= before) continue;
      for (const term of story.centroid.keys()) this.postings.get(term)?.delete(id);
      this.stories.delete(id);
    }
  }
}
