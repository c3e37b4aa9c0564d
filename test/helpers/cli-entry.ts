// Runs the CLI from source (tests spawn this with tsx, so they never run a stale dist/).
import { scheduledJobs } from '../../jobs/index.js';
import { main } from '../../src/cli/main.js';

process.exit(await main(process.argv.slice(2), undefined, undefined, scheduledJobs));
