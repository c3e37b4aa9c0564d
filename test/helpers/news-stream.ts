// A seeded stream of news reports: several developing events, each covered by several outlets over
// a few days in their own words, with wire copy republished under other headlines. For tests that
// need many realistic, distinct stories (the story invariants); nothing here is tuned for quality.

import { readFileSync } from 'node:fs';

export interface NewsReport {
  outlet: string;
  guid: string;
  url: string;
  title: string;
  summary: string;
  published: Date;
  event: string;
}

interface NewsEvent {
  key: string;
  /** Names that every report of the event uses. */
  names: string[];
  /** The event's own vocabulary, mixed differently by each outlet. */
  words: string[];
  headlines: string[];
}

// The events, in our own words (test/fixtures/news-events.json).
const EVENTS = JSON.parse(readFileSync(new URL('../fixtures/news-events.json', import.meta.url), 'utf8')) as NewsEvent[];

export const OUTLETS = ['northsea-courier', 'baltic-ledger', 'harbour-post', 'river-times', 'capital-wire', 'lakeside-herald'];

const CONNECTORS = ['Officials said', 'According to witnesses,', 'Reporters on the scene noted that', 'In a statement,', 'Analysts expect that', 'Local media reported that'];

/** A small seeded generator (mulberry32): the same seed gives the same stream on every machine. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/**
 * `count` reports over `days` days from `start`, each event starting on its own day and running
 * for one to three days; about one report in six is another outlet's wire copy, word for word.
 */
export function newsStream(seed: number, count: number, start = new Date(Date.UTC(2018, 6, 9)), days = 5): NewsReport[] {
  const random = seeded(seed);
  const begins = new Map(EVENTS.map((e) => [e.key, random() * (days - 1) * 86_400_000]));
  const lasts = new Map(EVENTS.map((e) => [e.key, (1 + random() * 2) * 86_400_000]));
  const reports: NewsReport[] = [];
  for (let i = 0; i < count; i++) {
    const outlet = pick(random, OUTLETS);
    const guid = `${outlet}-${i}`;
    const url = `https://${outlet}.example/news/${i}`;
    const previous = reports.filter((r) => r.outlet !== outlet);
    if (previous.length > 0 && random() < 1 / 6) {
      const wire = pick(random, previous);
      reports.push({ ...wire, outlet, guid, url, title: `${wire.title} (wire)`, published: new Date(wire.published.getTime() + 1_800_000) });
      continue;
    }
    const event = pick(random, EVENTS);
    const at = start.getTime() + begins.get(event.key)! + random() * lasts.get(event.key)!;
    const sentence = () => `${pick(random, CONNECTORS)} ${pick(random, event.names)} faced ${pick(random, event.words)} and ${pick(random, event.words)} on day ${1 + Math.floor(random() * 3)}.`;
    reports.push({
      outlet,
      guid,
      url,
      event: event.key,
      title: pick(random, event.headlines),
      summary: `${sentence()} ${sentence()} ${pick(random, event.names)} and ${pick(random, event.names)} were named in report ${i}.`,
      published: new Date(at),
    });
  }
  return reports.sort((a, b) => a.published.getTime() - b.published.getTime());
}
