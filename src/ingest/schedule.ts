// When to poll a source next. Pure: the poll job feeds it what happened and stores the answer.
//
// A news feed that posts every ten minutes and one that posts twice a week should not be polled
// alike: the interval follows the source's recent posting rate (twice per average gap between
// items), within bounds. What the server says — Retry-After, Cache-Control max-age, RSS <ttl> —
// is a floor we never poll before. Errors back off exponentially, but a failing source is always
// retried (at most the maximum interval apart): sources never silently stop. Jitter spreads
// sources that were added together so they do not all come due in the same minute.

export interface ScheduleSettings {
  minIntervalSeconds: number;
  maxIntervalSeconds: number;
  /** ± fraction of the interval. */
  jitter: number;
}

export const DEFAULT_SCHEDULE: ScheduleSettings = { minIntervalSeconds: 5 * 60, maxIntervalSeconds: 24 * 3600, jitter: 0.1 };

export interface ServerHints {
  retryAfterSeconds: number | null;
  maxAgeSeconds: number | null;
  ttlMinutes: number | null;
}

export interface PollOutcome {
  kind: 'ok' | 'not_modified' | 'error';
  /** Consecutive errors including this poll (0 after a success). */
  errorCount: number;
  /** Items the source published in the last `RATE_WINDOW_DAYS` days. */
  recentItems: number;
  previousIntervalSeconds: number;
  hints: ServerHints;
}

export const RATE_WINDOW_DAYS = 7;

export interface NextPoll {
  intervalSeconds: number;
  nextPollAt: Date;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export function planNextPoll(
  outcome: PollOutcome,
  settings: ScheduleSettings = DEFAULT_SCHEDULE,
  now: Date = new Date(),
  random: () => number = Math.random,
): NextPoll {
  const { minIntervalSeconds: min, maxIntervalSeconds: max } = settings;
  let interval: number;
  if (outcome.kind === 'error') {
    interval = min * 2 ** Math.max(0, outcome.errorCount - 1);
  } else if (outcome.recentItems > 0) {
    interval = (RATE_WINDOW_DAYS * 86_400) / outcome.recentItems / 2;
  } else {
    // Nothing new in a week: slow down gradually rather than jumping to the maximum.
    interval = Math.max(outcome.previousIntervalSeconds * 2, 3600);
  }
  const { retryAfterSeconds, maxAgeSeconds, ttlMinutes } = outcome.hints;
  const floor = Math.max(retryAfterSeconds ?? 0, outcome.kind === 'error' ? 0 : Math.max(maxAgeSeconds ?? 0, (ttlMinutes ?? 0) * 60));
  interval = clamp(Math.max(interval, floor), min, max);
  const jittered = interval * (1 + settings.jitter * (2 * random() - 1));
  // Jitter may not take us below the server's floor or out of bounds.
  const seconds = Math.round(clamp(Math.max(jittered, Math.min(floor, max)), min, max));
  return { intervalSeconds: seconds, nextPollAt: new Date(now.getTime() + seconds * 1000) };
}

/** How long every source on a host waits after the host said 429 or 503. */
export function hostBackoffSeconds(retryAfterSeconds: number | null, settings: ScheduleSettings = DEFAULT_SCHEDULE): number {
  return clamp(retryAfterSeconds ?? 2 * settings.minIntervalSeconds, settings.minIntervalSeconds, settings.maxIntervalSeconds);
}

/** After this many consecutive errors a source shows as `failing` (it is still polled). */
export const FAILING_AFTER_ERRORS = 3;
