// Clustering cost per article (issue 6: ≥ 1,000 articles/s, and 10,000 articles cost ≤ 1.5× per
// article what 1,000 do). The in-memory step of the poll job — features, placement, index update,
// pruning as a long-running worker does — over a stream built from our July 2018 fixture: 27 copies
// two weeks apart with fresh ids, so the index meets a realistic, growing mix of stories.
import { readFileSync } from 'node:fs';
import { articleFeatures } from '../src/cluster/features.js';
import { parseLabelledArticles } from '../src/eval/eval-clusters.js';
import { DEFAULT_CLUSTER_SETTINGS, StoryIndex } from '../src/cluster/story-index.js';

const FIXTURE = new URL('../../src/cluster/testdata/july-2018-stream.jsonl', import.meta.url);

function stream(count: number) {
  const base = parseLabelledArticles(readFileSync(FIXTURE, 'utf8'));
  const out = [];
  for (let round = 0; out.length < count; round++) {
    for (const a of base) {
      if (out.length >= count) break;
      out.push({ id: `${a.id}-${round}`, at: Date.parse(a.published!) + round * 14 * 86_400_000, title: a.title ?? null, summary: a.summary ?? null });
    }
  }
  return out;
}

function run(count: number): number {
  const index = new StoryIndex();
  const started = performance.now();
  let next = 0;
  let latest = 0;
  for (const [i, a] of stream(count).entries()) {
    const article = { id: a.id, at: a.at, features: articleFeatures({ title: a.title, summary: a.summary }) };
    index.observe(article.features);
    index.add(index.place(article).storyId ?? `s${next++}`, article);
    latest = Math.max(latest, a.at);
    if (i % 500 === 499) index.prune(latest - 2 * DEFAULT_CLUSTER_SETTINGS.windowHours * 3_600_000);
  }
  return (performance.now() - started) / count;
}

export function benchCluster(): Record<string, number> {
  run(2000); // warm-up: JIT and the stem cache, as in a running worker
  const small = run(1000);
  const large = run(10_000);
  return {
    msPerArticleAt1k: Number(small.toFixed(3)),
    msPerArticleAt10k: Number(large.toFixed(3)),
    ratio: Number((large / small).toFixed(2)),
    articlesPerSecondAt10k: Math.round(1000 / large),
  };
}
