// The scheduled poll: every POLL_CRON tick, the due sources (src/ingest/poller.ts does the work).
import type { Poller } from '../src/ingest/poller.js';
import type { Job } from '../src/service/scheduler.js';

export function pollJob(poller: Poller, schedule: string): Job {
  return {
    name: 'poll',
    schedule,
    async run({ signal, logger }) {
      const summary = await poller.poll({ kind: 'due' }, signal);
      if (summary.sources > 0) logger.info(summary, 'poll run done');
      return summary;
    },
  };
}
