// `npm run bench`: speed goals live here, never in unit tests. Prints one JSON line per benchmark.
import { benchParse } from './parse.js';

const benches: Record<string, () => Record<string, number> | Promise<Record<string, number>>> = {
  'parse+normalize (1,000 items x 5 KB RSS)': benchParse,
};

const only = process.argv[2];
for (const [name, run] of Object.entries(benches)) {
  if (only && !name.includes(only)) continue;
  const result = await run();
  console.log(JSON.stringify({ bench: name, ...result }));
}
