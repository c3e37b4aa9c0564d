// How a story is described: its `terms` (the most telling terms of its articles) and its label (the
// headline of the article closest to those terms). The clusterer describes the stories it places
// into from its index (TF-IDF over every recent story); src/stories describes a story that lost
// articles (split, retention, a removed source) from the articles it has left.
import type { ArticleRow } from '../../db/queries/items.js';
import { htmlToText } from '../parse/text.js';
import { articleFeatures, type ArticleFeatures } from './features.js';

/** Terms shown in a story's `terms`. */
export const SHOWN_TERMS = 8;
/** Terms a label is chosen by. */
export const LABEL_TERMS = 12;

export interface DescribedArticle {
  id: string;
  at: number;
  title: string | null;
  features: ArticleFeatures;
}

/** An article row as clustering sees it: its features from the headline and the plain text. */
export function describedArticle(row: ArticleRow): DescribedArticle {
  const text = row.body ? htmlToText(row.body) : null;
  return { id: row.id, at: row.at.getTime(), title: row.title, features: articleFeatures({ title: row.title, summary: text, lang: row.lang }) };
}

/** "e:theresa may" → "theresa may": entity markers are internal. */
export const presentable = (terms: string[]): string[] => [...new Set(terms.map((t) => t.replace(/^e:/, '')))];

/** The headline of the article whose terms weigh most among `topTerms` (best first); the first such on a tie. */
export function chooseLabel(articles: Iterable<{ title: string | null; features: ArticleFeatures }>, topTerms: string[]): string | null {
  const weights = new Map(topTerms.map((t, i) => [t, topTerms.length - i]));
  let label: string | null = null;
  let best = -1;
  for (const { title, features } of articles) {
    if (!title) continue;
    let score = 0;
    for (const term of features.terms.keys()) score += weights.get(term) ?? 0;
    if (score > best) [best, label] = [score, title];
  }
  return label;
}

/**
 * The most telling terms of a set of articles on their own, without the corpus an index has: a
 * term counts by how many of the articles use it, then by its weight in them. What every report
 * of an event shares (its names and places) comes first; one outlet's wording does not.
 */
export function ownTopTerms(articles: DescribedArticle[], n: number): string[] {
  const seen = new Map<string, { articles: number; weight: number }>();
  for (const { features } of articles) {
    for (const [term, weight] of features.terms) {
      const entry = seen.get(term) ?? { articles: 0, weight: 0 };
      entry.articles += 1;
      entry.weight += weight;
      seen.set(term, entry);
    }
  }
  return [...seen]
    .sort((x, y) => y[1].articles - x[1].articles || y[1].weight - x[1].weight || (x[0] < y[0] ? -1 : 1))
    .slice(0, n)
    .map(([term]) => term);
}

/** A story's label and shown terms from its articles alone. */
export function describeArticles(articles: DescribedArticle[]): { label: string | null; terms: string[] } {
  const top = ownTopTerms(articles, LABEL_TERMS);
  return { label: chooseLabel(articles, top), terms: presentable(top).slice(0, SHOWN_TERMS) };
}
