// `feedloom eval clusters FILE.jsonl`: clustering quality on labelled articles. The articles go, in
// file order, through the production store path (src/ingest/store-items.ts: upsert, dedup, clustering,
// with the default settings) in a throwaway embedded database, as if each run of consecutive
// articles from one outlet were one poll of its feed; then the stories are scored against the gold
// events (B-cubed and pairwise, see score.ts).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { openDatabase } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import { storeItems } from '../ingest/store-items.js';
import { Deduplicator } from '../dedup/dedup.js';
import { UserError } from '../errors.js';
import { parseFeedDate } from '../parse/dates.js';
import type { NormalizedFeed, NormalizedItem } from '../parse/model.js';
import { escapeHtml } from '../parse/text.js';
import { itemRows } from '../ingest/item-rows.js';
import { Clusterer } from '../cluster/clusterer.js';
import { storyWrites } from '../stories/story-store.js';
import { scoreClusters, type Scores } from './score.js';

const Article = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  event: z.union([z.string(), z.number()]).transform(String),
  title: z.string().nullable().optional(),
  summary: z.string().nullable().optional(),
  published: z.string().nullable().optional(),
  source: z.string().nullable().optional(),
  url: z.string().nullable().optional(),
  lang: z.string().nullable().optional(),
});
export type LabelledArticle = z.infer<typeof Article>;

export class EvalInputError extends UserError {}

export function parseLabelledArticles(text: string): LabelledArticle[] {
  const articles: LabelledArticle[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new EvalInputError(`line ${index + 1}: not JSON`);
    }
    const parsed = Article.safeParse(json);
    if (!parsed.success) throw new EvalInputError(`line ${index + 1}: ${parsed.error.issues[0]?.path.join('.') || 'article'}: ${parsed.error.issues[0]?.message}`);
    if (seen.has(parsed.data.id)) throw new EvalInputError(`line ${index + 1}: id ${parsed.data.id} appears twice`);
    seen.add(parsed.data.id);
    articles.push(parsed.data);
  });
  if (articles.length === 0) throw new EvalInputError('no articles in the file');
  return articles;
}

function asItem(article: LabelledArticle): NormalizedItem {
  const date = article.published ? parseFeedDate(article.published) : null;
  return {
    id: article.id,
    link: article.url ?? null,
    title: article.title ?? null,
    published: date ? date.toISOString() : null,
    updated: null,
    author: null,
    summary: article.summary ? escapeHtml(article.summary) : null,
    content: null,
    enclosures: [],
    categories: [],
  };
}

export interface EvalResult extends Scores {
  seconds: number;
  /** article id → story id, for the reference scorer. */
  assignments: Map<string, string>;
}

export async function evaluateClusters(articles: LabelledArticle[]): Promise<EvalResult> {
  const started = performance.now();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'feedloom-eval-'));
  const handle = await openDatabase({ databaseUrl: null, dataDir, command: 'feedloom eval clusters' });
  try {
    await migrateToLatest(handle.db);
    const sourceIds = new Map<string, string>();
    for (const name of new Set(articles.map((a) => a.source ?? 'unknown'))) {
      const row = await handle.db
        .insertInto('sources')
        .values({ url: `https://eval.invalid/${sourceIds.size}`, host: 'eval.invalid', title: name })
        .returning('id')
        .executeTakeFirstOrThrow();
      sourceIds.set(name, row.id);
    }
    const deduplicator = new Deduplicator();
    const clusterer = new Clusterer(storyWrites);
    for (let i = 0; i < articles.length; ) {
      const source = articles[i]!.source ?? 'unknown';
      let j = i;
      while (j < articles.length && j - i < 50 && (articles[j]!.source ?? 'unknown') === source) j++;
      const feed = { language: articles[i]!.lang ?? null, items: articles.slice(i, j).map(asItem) } as NormalizedFeed;
      const rows = itemRows(sourceIds.get(source)!, feed).map((row, k) => ({ ...row, lang: articles[i + k]!.lang ?? null }));
      await handle.db.transaction().execute((trx) => storeItems(trx, rows, deduplicator, clusterer));
      i = j;
    }
    const stored = await handle.db.selectFrom('items').select(['guid', 'cluster_id']).execute();
    const assignments = new Map(stored.map((r) => [r.guid, String(r.cluster_id)]));
    const gold = new Map(articles.map((a) => [a.id, a.event]));
    const scores = scoreClusters(gold, assignments);
    return { ...scores, seconds: Math.round((performance.now() - started) / 100) / 10, assignments };
  } finally {
    await handle.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function evaluateClustersFile(file: string): Promise<EvalResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new EvalInputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return evaluateClusters(parseLabelledArticles(text));
}
