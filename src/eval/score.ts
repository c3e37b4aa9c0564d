// B-cubed (Amigó et al. 2009) and pairwise precision/recall/F1 of a clustering against gold events,
// computed exactly as ../shared/tools/score-clusters.mjs does (a test keeps the two in agreement).
export interface Scores {
  articles: number;
  events: number;
  clusters: number;
  bcubed: { precision: number; recall: number; f1: number };
  pairwise: { precision: number; recall: number; f1: number };
}

const round = (x: number) => Math.round(x * 10000) / 10000;
const f1 = (p: number, r: number) => (p + r ? (2 * p * r) / (p + r) : 0);

/** `gold`: article id → event; `predicted`: article id → cluster (missing articles stand alone). */
export function scoreClusters(gold: ReadonlyMap<string, string>, predicted: ReadonlyMap<string, string>): Scores {
  const ids = [...gold.keys()];
  const clusterOf = (id: string) => (predicted.has(id) ? `c:${predicted.get(id)}` : `alone:${id}`);
  const count = (key: (id: string) => string) => {
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(key(id), (counts.get(key(id)) ?? 0) + 1);
    return counts;
  };
  const byGold = count((id) => gold.get(id)!);
  const byPredicted = count(clusterOf);
  const both = count((id) => `${gold.get(id)}\u0000${clusterOf(id)}`);
  let precision = 0;
  let recall = 0;
  for (const id of ids) {
    const n = both.get(`${gold.get(id)}\u0000${clusterOf(id)}`)!;
    precision += n / byPredicted.get(clusterOf(id))!;
    recall += n / byGold.get(gold.get(id)!)!;
  }
  precision /= ids.length || 1;
  recall /= ids.length || 1;
  const pairs = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0);
  const truePairs = pairs(both);
  const pairPrecision = pairs(byPredicted) ? truePairs / pairs(byPredicted) : 1;
  const pairRecall = pairs(byGold) ? truePairs / pairs(byGold) : 1;
  return {
    articles: ids.length,
    events: byGold.size,
    clusters: byPredicted.size,
    bcubed: { precision: round(precision), recall: round(recall), f1: round(f1(precision, recall)) },
    pairwise: { precision: round(pairPrecision), recall: round(pairRecall), f1: round(f1(pairPrecision, pairRecall)) },
  };
}
