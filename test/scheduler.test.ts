import { describe, expect, it } from 'vitest';
import { Scheduler } from '../src/service/scheduler.js';
import { silentLogger } from '../src/log/logger.js';

describe('scheduler', () => {
  it('never runs a job twice at once, records failures and keeps going', async () => {
    const scheduler = new Scheduler(silentLogger());
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    scheduler.add({
      name: 'slow',
      schedule: '* * * * * *',
      async run() {
        calls += 1;
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 100));
        running -= 1;
        if (calls === 1) throw new Error('first run fails');
      },
    });
    await Promise.all([scheduler.trigger('slow'), scheduler.trigger('slow'), scheduler.trigger('slow')]);
    expect(calls).toBe(1);
    expect(scheduler.statuses()[0]).toMatchObject({ runs: 1, failures: 1, lastError: 'first run fails', running: false });
    await scheduler.trigger('slow');
    expect(scheduler.statuses()[0]).toMatchObject({ runs: 2, failures: 1, lastError: null });
    expect(maxRunning).toBe(1);
    await scheduler.stop();
  });

  it('runs on its cron schedule and, on stop, signals and waits for the running job', async () => {
    const scheduler = new Scheduler(silentLogger());
    const events: string[] = [];
    let started!: () => void;
    const startedOnce = new Promise<void>((resolve) => (started = resolve));
    scheduler.add({
      name: 'every-second',
      schedule: '* * * * * *',
      async run({ signal }) {
        events.push('start');
        started();
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => setTimeout(resolve, 50), { once: true }));
        events.push('finished after abort');
      },
    });
    scheduler.start();
    await startedOnce;
    await scheduler.stop();
    expect(events).toEqual(['start', 'finished after abort']);
    // Nothing runs after stop.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(events).toHaveLength(2);
  });

  it('rejects an invalid schedule', () => {
    const scheduler = new Scheduler(silentLogger());
    expect(() => scheduler.add({ name: 'bad', schedule: 'often', run: async () => undefined })).toThrow(/invalid cron/);
  });
});
