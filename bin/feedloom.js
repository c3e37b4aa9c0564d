#!/usr/bin/env node
// The published entry point runs the compiled CLI (npm install runs `prepare`, which builds dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  process.stderr.write('feedloom: dist/ is missing; run `npm run build` (npm install does it through `prepare`)\n');
  process.exit(1);
}
const { main } = await import(compiled.href);
// The scheduled jobs sit above src/ (src never imports jobs/): the entry point hands them over.
const { scheduledJobs } = await import(new URL('../dist/jobs/index.js', import.meta.url).href);
process.exit(await main(process.argv.slice(2), undefined, undefined, scheduledJobs));
