// Runs jobs on cron schedules (node-cron). Two rules matter for a long-running service:
// a job never overlaps itself (a slow poll run must not start a second one), and stopping waits
// for in-flight runs, after telling them through an AbortSignal to wrap up, so that a shutdown
// leaves work finished or safely re-runnable.
import type { Kysely } from 'kysely';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.js';
import type { Config } from '../config/config.js';
import type { Poller } from '../ingest/poller.js';
import type { StoryChanges } from '../publish/story-changes.js';

export interface JobContext {
  /** Aborted when the service stops: finish the current unit of work and return. */
  signal: AbortSignal;
  logger: Logger;
}

export interface Job {
  name: string;
  schedule: string;
  run(context: JobContext): Promise<unknown>;
}

/** What the scheduled jobs (jobs/) are built from. */
export interface JobDeps {
  poller: Poller;
  db: Kysely<Database>;
  config: Pick<Config, 'pollCron' | 'retentionDays'>;
  changes: StoryChanges;
}

/** Builds the jobs a service schedules; jobs/index.ts is the one the CLI's entry point passes. */
export type JobFactory = (deps: JobDeps) => Job[];

export interface JobStatus {
  name: string;
  schedule: string;
  running: boolean;
  runs: number;
  failures: number;
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  lastError: string | null;
}

export class Scheduler {
  private readonly controller = new AbortController();
  private readonly entries: Array<{ job: Job; task: ScheduledTask; status: JobStatus; inFlight: Promise<void> | null }> = [];
  private stopped = false;

  constructor(private readonly logger: Logger) {}

  add(job: Job): void {
    if (!cron.validate(job.schedule)) throw new Error(`job ${job.name}: invalid cron expression ${job.schedule}`);
    const status: JobStatus = {
      name: job.name,
      schedule: job.schedule,
      running: false,
      runs: 0,
      failures: 0,
      lastStartedAt: null,
      lastFinishedAt: null,
      lastError: null,
    };
    const entry = { job, status, inFlight: null as Promise<void> | null, task: null as unknown as ScheduledTask };
    entry.task = cron.createTask(job.schedule, () => this.runOnce(entry), { name: job.name, noOverlap: true });
    this.entries.push(entry);
  }

  start(): void {
    for (const entry of this.entries) void entry.task.start();
    this.logger.info({ jobs: this.entries.map((e) => `${e.job.name} (${e.job.schedule})`) }, 'scheduler started');
  }

  /** Runs a job now, outside its schedule, unless it is already running. */
  async trigger(name: string): Promise<void> {
    const entry = this.entries.find((e) => e.job.name === name);
    if (!entry) throw new Error(`no job named ${name}`);
    await this.runOnce(entry);
  }

  statuses(): JobStatus[] {
    return this.entries.map((e) => ({ ...e.status }));
  }

  private runOnce(entry: (typeof this.entries)[number]): Promise<void> {
    if (this.stopped) return Promise.resolve();
    // node-cron's noOverlap covers scheduled runs; this covers trigger() racing the schedule.
    if (entry.inFlight) return entry.inFlight;
    const { job, status } = entry;
    const logger = this.logger.child({ job: job.name });
    status.running = true;
    status.runs += 1;
    status.lastStartedAt = new Date();
    entry.inFlight = (async () => {
      try {
        await job.run({ signal: this.controller.signal, logger });
        status.lastError = null;
      } catch (error) {
        // A failing run is logged and retried at the next tick; it never takes the service down.
        status.failures += 1;
        status.lastError = error instanceof Error ? error.message : String(error);
        logger.error({ err: error }, 'job failed');
      } finally {
        status.running = false;
        status.lastFinishedAt = new Date();
        entry.inFlight = null;
      }
    })();
    return entry.inFlight;
  }

  /** Stops scheduling, signals running jobs, and waits for them (at most `graceMs`). */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const entry of this.entries) await entry.task.destroy();
    this.controller.abort(new Error('scheduler stopping'));
    const running = this.entries.map((e) => e.inFlight).filter((p): p is Promise<void> => p !== null);
    if (running.length === 0) return;
    this.logger.info({ running: running.length }, 'waiting for running jobs to finish');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.all(running).then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) this.logger.warn({ graceMs }, 'jobs still running at shutdown; their work is re-runnable');
  }
}
