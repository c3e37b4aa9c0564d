// Story clustering on the labelled July 2018 fixture stream (testdata/, our own words: 372 articles,
// 63 events from the same weeks with overlapping names), plus the pieces it is built from.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { articleFeatures } from './features.js';
import { parseLabelledArticles, type LabelledArticle } from '../eval/eval-clusters.js';
import { scoreClusters } from '../eval/score.js';
import { StoryIndex } from './story-index.js';

const stream = parseLabelledArticles(readFileSync(new URL('./testdata/july-2018-stream.jsonl', import.meta.url), 'utf8'));

/** Replays articles through a story index as the clusterer does; returns article id → story. */
function cluster(articles: LabelledArticle[]): Map<string, string> {
  const index = new StoryIndex();
  const placed = new Map<string, string>();
  let next = 0;
  for (const a of articles) {
    const article = { id: a.id, at: Date.parse(a.published!), features: articleFeatures({ title: a.title ?? null, summary: a.summary ?? null, lang: a.lang ?? null }) };
    index.observe(article.features);
    const story = index.place(article).storyId ?? `s${next++}`;
    index.add(story, article);
    placed.set(a.id, story);
  }
  return placed;
}

const gold = new Map(stream.map((a) => [a.id, a.event]));
const eventsOf = (placed: Map<string, string>) => {
  const stories = new Map<string, Set<string>>();
  for (const [id, story] of placed) stories.set(story, (stories.get(story) ?? new Set()).add(gold.get(id)!));
  return [...stories.values()];
};

describe('features', () => {
  it('weights headline words, and marks names, acronyms and numbers with units as entities', () => {
    const { terms, entities } = articleFeatures({
      title: 'Allies clash over spending at NATO summit',
      summary: 'In Brussels, Theresa May and Angela Merkel defended budgets of 2% of GDP, while the US sought $200bn.',
    });
    expect(terms.get('alli')).toBeGreaterThan(terms.get('budget')!);
    expect([...entities]).toEqual(expect.arrayContaining(['e:nato', 'e:brussel', 'e:angela merkel', 'e:2%', 'e:200bn', 'e:gdp']));
    expect(terms.has('the')).toBe(false);
  });

  it('stems Russian, and reads a Title Case headline without making every word a name', () => {
    const ru = articleFeatures({ title: 'Путин и Трамп встретились в Хельсинки', summary: 'Встреча президентов в Хельсинки длилась два часа.' });
    expect(ru.terms.get('хельсинк')).toBeGreaterThanOrEqual(3);
    expect(ru.entities.has('e:хельсинк')).toBe(true);
    const titleCase = articleFeatures({ title: 'Rescue Divers Bring Out The Last Four Boys', summary: null });
    expect(titleCase.entities.size).toBe(0);
  });
});

describe('scoring', () => {
  it('computes B-cubed and pairwise as the reference scorer does', () => {
    const g = new Map([['a', '1'], ['b', '1'], ['c', '1'], ['d', '2'], ['e', '2']]);
    // {a,b} {c,d} {e}: B-cubed precision (1+1+½+½+1)/5 = 0.8, recall (⅔+⅔+⅓+½+½)/5 = 0.5333, F1 0.64.
    const s = scoreClusters(g, new Map([['a', 'x'], ['b', 'x'], ['c', 'y'], ['d', 'y'], ['e', 'z']]));
    expect(s.bcubed).toEqual({ precision: 0.8, recall: 0.5333, f1: 0.64 });
    // Predicted pairs ab, cd (1 true of 2); gold pairs ab ac bc de (1 of 4).
    expect(s.pairwise).toEqual({ precision: 0.5, recall: 0.25, f1: 0.3333 });
    // An article without a prediction stands alone.
    expect(scoreClusters(g, new Map()).clusters).toBe(5);
  });
});

describe('story index on the July 2018 stream', () => {
  const placed = cluster(stream);

  it('never lets one summit swallow another, nor the semi-final the final', () => {
    for (const events of eventsOf(placed)) {
      const list = [...events];
      expect({ events: list, natoAndHelsinki: list.some((e) => e.startsWith('nato-')) && list.some((e) => e.startsWith('helsinki-')) }).toMatchObject({ natoAndHelsinki: false });
      expect({ events: list, semiAndFinal: events.has('world-cup-semi-final-croatia-england') && events.has('world-cup-final-france-croatia') }).toMatchObject({ semiAndFinal: false });
    }
  });

  it('keeps stories mostly pure and groups the big events', () => {
    const scores = scoreClusters(gold, placed);
    // Regression guards, well below the measured 0.89 precision (README has the figures).
    expect(scores.bcubed.precision).toBeGreaterThan(0.8);
    expect(scores.clusters).toBeLessThan(stream.length * 0.65);
    // The largest story of the cave rescue holds a good part of its 21 reports.
    const rescue = [...placed].filter(([id]) => gold.get(id) === 'thai-cave-rescue-completed').map(([, s]) => s);
    const largest = Math.max(...[...new Set(rescue)].map((s) => rescue.filter((x) => x === s).length));
    expect(largest).toBeGreaterThanOrEqual(5);
  });

  it('depends little on arrival order: a shuffled stream scores about the same', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const shuffled = [...stream].sort(() => random() - 0.5);
    const inOrder = scoreClusters(gold, placed).bcubed.f1;
    const reordered = scoreClusters(gold, cluster(shuffled)).bcubed.f1;
    expect(Math.abs(inOrder - reordered)).toBeLessThan(0.1);
  });
});
