// The scheduled retention run, daily (src/retention/retention.ts does the work).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { pruneOnce, type RetentionOptions } from '../src/retention/retention.js';
import { noticeOtherProcesses, type StoryChanges } from '../src/publish/story-changes.js';
import type { Job } from '../src/service/scheduler.js';

export function retentionJob(db: Kysely<Database>, options: RetentionOptions, changes?: StoryChanges, schedule = '17 3 * * *'): Job {
  return {
    name: 'retention',
    schedule,
    async run({ signal, logger }) {
      const report = await pruneOnce(db, options, signal);
      // Deleted items and closed stories change what feeds show.
      if (report.items + report.clusters + report.closed > 0) {
        changes?.announce();
        await noticeOtherProcesses(db);
      }
      logger.info(report, 'retention done');
      return report;
    },
  };
}
