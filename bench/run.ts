// `npm run bench`: speed goals live here, never in unit tests. Prints one JSON line per benchmark.
// `npm run bench -- poll` runs only the benchmarks whose name contains "poll".
import { benchCluster } from './cluster.js';
import { benchDedup } from './dedup.js';
import { benchParse } from './parse.js';
import { benchPollFresh, benchPollNotModified } from './poll.js';
import { benchServe } from './serve.js';

const benches: Record<string, () => Record<string, number> | Promise<Record<string, number>>> = {
  'parse+normalize (1,000 items x 5 KB RSS)': benchParse,
  'poll 304 (1,000 sources, PostgreSQL)': () => benchPollNotModified(1000),
  'poll fresh (300 sources x 50 new items, PostgreSQL)': () => benchPollFresh(300, 50),
  'dedup per new item at 1k and 100k stored items (PostgreSQL)': benchDedup,
  'cluster per article at 1k and 10k articles': benchCluster,
  'serve a cached 50-story topic feed vs bare node:http': benchServe,
};

const only = process.argv[2];
for (const [name, run] of Object.entries(benches)) {
  if (only && !name.includes(only)) continue;
  const result = await run();
  console.log(JSON.stringify({ bench: name, ...result }));
}
