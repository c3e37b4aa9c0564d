import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, hostBackoffSeconds, planNextPoll, type PollOutcome } from './schedule.js';

const now = new Date('2026-11-29T12:00:00Z');
const noJitter = () => 0.5; // 2*0.5-1 = 0: no jitter
const hints = { retryAfterSeconds: null, maxAgeSeconds: null, ttlMinutes: null };
const outcome = (o: Partial<PollOutcome>): PollOutcome => ({
  kind: 'ok', errorCount: 0, recentItems: 0, previousIntervalSeconds: 900, hints, ...o,
});
const interval = (o: Partial<PollOutcome>) => planNextPoll(outcome(o), DEFAULT_SCHEDULE, now, noJitter).intervalSeconds;

describe('next poll', () => {
  it('follows the posting rate, within 5 minutes and 24 hours', () => {
    // 7 items a week: one a day → poll twice a day.
    expect(interval({ recentItems: 7 })).toBe(43_200);
    // 2,016 a week (one every 5 minutes) → floor at 5 minutes.
    expect(interval({ recentItems: 2_016 })).toBe(300);
    expect(interval({ recentItems: 100_000 })).toBe(300);
  });

  it('slows down gradually for a quiet feed, up to a day', () => {
    expect(interval({ recentItems: 0, previousIntervalSeconds: 900 })).toBe(3_600);
    expect(interval({ recentItems: 0, previousIntervalSeconds: 3_600 })).toBe(7_200);
    expect(interval({ recentItems: 0, previousIntervalSeconds: 80_000 })).toBe(86_400);
  });

  it('never polls before Retry-After, max-age or ttl says, but at most a day later', () => {
    expect(interval({ recentItems: 2_016, hints: { ...hints, maxAgeSeconds: 1_800 } })).toBe(1_800);
    expect(interval({ recentItems: 2_016, hints: { ...hints, ttlMinutes: 60 } })).toBe(3_600);
    expect(interval({ recentItems: 2_016, hints: { ...hints, retryAfterSeconds: 999_999 } })).toBe(86_400);
  });

  it('backs off errors exponentially up to a day, honouring Retry-After', () => {
    expect([1, 2, 3, 4, 10, 20].map((errorCount) => interval({ kind: 'error', errorCount }))).toEqual([300, 600, 1_200, 2_400, 86_400, 86_400]);
    expect(interval({ kind: 'error', errorCount: 1, hints: { ...hints, retryAfterSeconds: 7_200 } })).toBe(7_200);
    // A cache lifetime says nothing about when a broken feed will be fixed.
    expect(interval({ kind: 'error', errorCount: 1, hints: { ...hints, maxAgeSeconds: 7_200 } })).toBe(300);
  });

  it('spreads polls by ±10% without leaving the bounds', () => {
    const low = planNextPoll(outcome({ recentItems: 7 }), DEFAULT_SCHEDULE, now, () => 0).intervalSeconds;
    const high = planNextPoll(outcome({ recentItems: 7 }), DEFAULT_SCHEDULE, now, () => 1).intervalSeconds;
    expect([low, high]).toEqual([38_880, 47_520]);
    expect(planNextPoll(outcome({ recentItems: 100_000 }), DEFAULT_SCHEDULE, now, () => 0).intervalSeconds).toBe(300);
    const next = planNextPoll(outcome({ recentItems: 7 }), DEFAULT_SCHEDULE, now, noJitter);
    expect(next.nextPollAt.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('blocks a host for its Retry-After, else ten minutes', () => {
    expect(hostBackoffSeconds(3_600)).toBe(3_600);
    expect(hostBackoffSeconds(null)).toBe(600);
    expect(hostBackoffSeconds(5)).toBe(300);
  });
});
