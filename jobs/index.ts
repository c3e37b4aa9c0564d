// The scheduled jobs of `feedloom serve` and `feedloom worker`, as the service runs them. Each is a
// thin adapter: the work lives in src/ (the poller, retention); a job only says when.
import type { Job, JobDeps } from '../src/service/scheduler.js';
import { pollJob } from './poll.js';
import { retentionJob } from './retention.js';

export function scheduledJobs({ poller, db, config, changes }: JobDeps): Job[] {
  return [pollJob(poller, config.pollCron), retentionJob(db, { retentionDays: config.retentionDays }, changes)];
}
