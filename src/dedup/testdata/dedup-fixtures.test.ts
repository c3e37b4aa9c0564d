// Sanity checks of the labelled dedup fixture itself: its size, the consistency of its gold labels
// and the scenarios it promises. Nothing here runs feedloom's dedup code; the URL normalization and
// text similarity below are deliberately simple references, used only to prove that the labels
// agree with the data (copies really are copies, different articles really differ).
import { describe, expect, it, vi } from 'vitest';
import {
  dedupFixtures,
  fixtureSources,
  goldPairs,
  hardNegativeSets,
  titleChanges,
  type DuplicateKind,
  type FixtureItem,
} from './dedup-fixtures.js';

const KINDS: DuplicateKind[] = ['url', 'guid', 'near'];
const GLOBAL_GUID = /^(?:https?:\/\/|tag:|urn:)/i;
const SAME_TITLES = ['Live updates', 'Morning briefing', 'What we know so far', 'Letters to the editor', 'Weather forecast'];

const byKey = new Map(dedupFixtures.map((i) => [i.key, i]));

function groups(): Map<string, FixtureItem[]> {
  const out = new Map<string, FixtureItem[]>();
  for (const item of dedupFixtures) if (item.group !== null) out.set(item.group, [...(out.get(item.group) ?? []), item]);
  return out;
}

function groupsOfKind(kind: DuplicateKind): FixtureItem[][] {
  return [...groups().values()].filter((members) => members[0]!.kind === kind);
}

/** A group id for grouped items, the key for unique ones: equal identities = same article. */
const identity = (item: FixtureItem) => item.group ?? `unique:${item.key}`;

/** Reference normalization: only the variants the fixture promises (tracking, AMP, m./www., scheme, slash, fragment). */
function referenceKey(link: string): string {
  const u = new URL(link);
  const host = u.hostname.replace(/^(?:www\.|m\.|amp\.)/, '');
  let path = u.pathname.replace(/\/$/, '');
  if (path.endsWith('/amp')) path = path.slice(0, -4);
  if (path.startsWith('/amp/')) path = path.slice(4);
  const params = [...u.searchParams.entries()]
    .filter(([k, v]) => !k.startsWith('utm_') && k !== 'fbclid' && k !== 'gclid' && !(k === 'amp' && v === '1'))
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  return `${host}${path}${params.length ? `?${params.join('&')}` : ''}`;
}

/** Word 3-shingles, lower-cased, punctuation ignored. */
function shingles(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + 3 <= words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let common = 0;
  for (const x of a) if (b.has(x)) common += 1;
  return common / (a.size + b.size - common);
}

const shingleCache = new Map(dedupFixtures.map((i) => [i.key, shingles(i.summary)]));
const textSimilarity = (a: FixtureItem, b: FixtureItem) => jaccard(shingleCache.get(a.key)!, shingleCache.get(b.key)!);

describe('dedup fixtures: size', () => {
  it('has at least 200 items', () => {
    expect(dedupFixtures.length).toBeGreaterThanOrEqual(200);
  });

  it.each(KINDS)('has at least 40 duplicate pairs of kind %s', (kind) => {
    const pairs = goldPairs().filter((p) => p.kind === kind);
    const fromGroups = groupsOfKind(kind).reduce((n, g) => n + (g.length * (g.length - 1)) / 2, 0);
    expect(pairs.length).toBe(fromGroups);
    expect(pairs.length).toBeGreaterThanOrEqual(40);
  });

  it('comes from 8 to 15 outlets, and every item from a declared feed', () => {
    const outlets = new Set(dedupFixtures.map((i) => fixtureSources[i.source]?.outlet));
    expect(outlets.has(undefined)).toBe(false);
    expect(outlets.size).toBeGreaterThanOrEqual(8);
    expect(outlets.size).toBeLessThanOrEqual(15);
    for (const s of Object.values(fixtureSources)) expect(() => new URL(s.feedUrl)).not.toThrow();
  });

  it('is deterministic: a fresh import builds the same data', async () => {
    vi.resetModules();
    const again = await import('./dedup-fixtures.js');
    expect(JSON.stringify(again.dedupFixtures)).toBe(JSON.stringify(dedupFixtures));
    expect(JSON.stringify(again.titleChanges)).toBe(JSON.stringify(titleChanges));
  });
});

describe('dedup fixtures: every item', () => {
  it('has a unique key (title-change first versions included)', () => {
    const keys = [...dedupFixtures.map((i) => i.key), ...titleChanges.map((c) => c.before.key)];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has a unique (source, guid)', () => {
    const ids = dedupFixtures.map((i) => `${i.source} ${i.guid}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has an http(s) URL on an .example host, and a guid', () => {
    for (const item of dedupFixtures) {
      const u = new URL(item.url);
      expect(['http:', 'https:'], item.key).toContain(u.protocol);
      expect(u.hostname.endsWith('.example'), item.key).toBe(true);
      expect(item.guid.trim(), item.key).toBe(item.guid);
      expect(item.guid.length, item.key).toBeGreaterThan(0);
    }
  });

  it('has a valid ISO 8601 UTC date in July 2018', () => {
    for (const item of dedupFixtures) {
      expect(item.published, item.key).toMatch(/^2018-07-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(new Date(item.published).toISOString(), item.key).toBe(item.published.replace('Z', '.000Z'));
    }
  });

  it('has a title and a plain-text summary of 200-700 characters', () => {
    for (const item of dedupFixtures) {
      expect(item.title.trim().length, item.key).toBeGreaterThan(0);
      expect(item.summary.length, item.key).toBeGreaterThanOrEqual(200);
      expect(item.summary.length, item.key).toBeLessThanOrEqual(700);
      expect(item.summary, item.key).not.toMatch(/[<>]|&[a-z]+;|\s{2}/);
    }
  });
});

describe('dedup fixtures: gold labels', () => {
  it('gives a kind exactly to grouped items, one kind per group', () => {
    for (const item of dedupFixtures) expect(item.kind === null, item.key).toBe(item.group === null);
    for (const [group, members] of groups()) {
      expect(members.length, group).toBeGreaterThanOrEqual(2);
      expect(new Set(members.map((m) => m.kind)).size, group).toBe(1);
    }
  });

  it('puts the copies of one article in different feeds', () => {
    for (const [group, members] of groups()) expect(new Set(members.map((m) => m.source)).size, group).toBe(members.length);
  });

  it('guid groups: one global guid (URL, tag: or urn:) shared by every member', () => {
    for (const members of groupsOfKind('guid')) {
      const guids = new Set(members.map((m) => m.guid));
      expect(guids.size, members[0]!.group!).toBe(1);
      expect(members[0]!.guid).toMatch(GLOBAL_GUID);
    }
  });

  it('url groups: different guids, one address up to the promised variants', () => {
    for (const members of groupsOfKind('url')) {
      const group = members[0]!.group!;
      expect(new Set(members.map((m) => m.guid)).size, group).toBe(members.length);
      expect(new Set(members.map((m) => referenceKey(m.url))).size, group).toBe(1);
      expect(new Set(members.map((m) => m.url)).size, group).toBe(members.length);
    }
  });

  it('near groups: each outlet its own guid, address and headline, within hours', () => {
    for (const members of groupsOfKind('near')) {
      const group = members[0]!.group!;
      expect(new Set(members.map((m) => m.guid)).size, group).toBe(members.length);
      expect(new Set(members.map((m) => referenceKey(m.url))).size, group).toBe(members.length);
      expect(new Set(members.map((m) => new URL(m.url).hostname.replace(/^www\./, ''))).size, group).toBe(members.length);
      expect(new Set(members.map((m) => m.title)).size, group).toBe(members.length);
      const times = members.map((m) => Date.parse(m.published));
      expect(Math.max(...times) - Math.min(...times), group).toBeLessThanOrEqual(12 * 3_600_000);
    }
  });

  it('near groups: the texts are edited copies (3-shingle Jaccard ≥ 0.4 for every pair, ≥ 0.5 to some other member)', () => {
    for (const members of groupsOfKind('near')) {
      for (const a of members) {
        const others = members.filter((b) => b !== a).map((b) => textSimilarity(a, b));
        expect(Math.min(...others), a.key).toBeGreaterThanOrEqual(0.4);
        expect(Math.max(...others), a.key).toBeGreaterThanOrEqual(0.5);
        expect(Math.min(...others), a.key).toBeLessThan(1); // edited, not verbatim
      }
    }
  });

  it('different articles have different texts (3-shingle Jaccard < 0.2) and different addresses', () => {
    const items = dedupFixtures;
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i]!;
        const b = items[j]!;
        if (identity(a) === identity(b)) continue;
        expect(textSimilarity(a, b), `${a.key} / ${b.key}`).toBeLessThan(0.2);
        expect(referenceKey(a.url), `${a.key} / ${b.key}`).not.toBe(referenceKey(b.url));
      }
    }
  });

  it('the same global guid never appears on two different articles', () => {
    const seen = new Map<string, string>();
    for (const item of dedupFixtures) {
      if (!GLOBAL_GUID.test(item.guid)) continue;
      const other = seen.get(item.guid);
      if (other !== undefined) expect(other, item.key).toBe(identity(item));
      seen.set(item.guid, identity(item));
    }
  });
});

describe('dedup fixtures: scenarios', () => {
  const urlGroupLinks = groupsOfKind('url').flat().map((m) => m.url);

  it.each([
    ['utm_* parameters', (u: URL) => [...u.searchParams.keys()].some((k) => k.startsWith('utm_'))],
    ['fbclid', (u: URL) => u.searchParams.has('fbclid')],
    ['gclid', (u: URL) => u.searchParams.has('gclid')],
    ['AMP path suffix', (u: URL) => u.pathname.endsWith('/amp')],
    ['AMP path prefix', (u: URL) => u.pathname.startsWith('/amp/')],
    ['?amp=1', (u: URL) => u.searchParams.get('amp') === '1'],
    ['amp. host', (u: URL) => u.hostname.startsWith('amp.')],
    ['m. host', (u: URL) => u.hostname.startsWith('m.')],
    ['plain http', (u: URL) => u.protocol === 'http:'],
    ['a fragment', (u: URL) => u.hash !== ''],
  ])('url groups use %s', (_name, test) => {
    expect(urlGroupLinks.some((link) => test(new URL(link)))).toBe(true);
  });

  it('url groups differ by trailing slash and by www. within a group', () => {
    const members = groupsOfKind('url');
    const differs = (f: (u: URL) => boolean) => members.some((g) => new Set(g.map((m) => f(new URL(m.url)))).size > 1);
    expect(differs((u) => u.pathname.endsWith('/'))).toBe(true);
    expect(differs((u) => u.hostname.startsWith('www.'))).toBe(true);
  });

  it('an aggregator republishes blog posts with their guid, and another links them with its own guid', () => {
    const blogs = new Set(Object.values(fixtureSources).filter((s) => s.role === 'blog').map((s) => s.slug));
    const guidFromPlanet = groupsOfKind('guid').filter((g) => g.some((m) => m.source === 'planet-newsroom') && g.some((m) => blogs.has(m.source)));
    const urlFromBlogroll = groupsOfKind('url').filter((g) => g.some((m) => m.source === 'euro-blogroll') && g.some((m) => blogs.has(m.source)));
    expect(guidFromPlanet.length).toBeGreaterThanOrEqual(10);
    expect(urlFromBlogroll.length).toBeGreaterThanOrEqual(3);
    // Some planet copies live on the planet's own pages: only the guid connects them.
    expect(guidFromPlanet.some((g) => new Set(g.map((m) => referenceKey(m.url))).size > 1)).toBe(true);
  });

  it('wire copy: every near group has at least three outlets, with dateline, trim and own-lede edits', () => {
    const near = groupsOfKind('near');
    expect(near.length).toBeGreaterThanOrEqual(15);
    for (const g of near) expect(g.length, g[0]!.group!).toBeGreaterThanOrEqual(3);
    const all = near.flat();
    expect(all.filter((m) => /^[A-Z ]+ \(GPW\) — /.test(m.summary)).length).toBeGreaterThanOrEqual(15);
    const wire = new Map(all.filter((m) => m.source === 'gpw-wire').map((m) => [m.group, m]));
    // Trimmed: a copy that is a prefix of the wire text; own lede: a copy that ends with it.
    expect(all.some((m) => m.source !== 'gpw-wire' && wire.get(m.group)!.summary.startsWith(m.summary.slice(0, 150)) && m.summary.length < wire.get(m.group)!.summary.length)).toBe(true);
    expect(all.some((m) => m.source !== 'gpw-wire' && m.summary.endsWith(wire.get(m.group)!.summary))).toBe(true);
  });
});

describe('dedup fixtures: title changes', () => {
  it('has several, each the same source and guid with a new headline', () => {
    expect(titleChanges.length).toBeGreaterThanOrEqual(5);
    for (const c of titleChanges) {
      expect(c.before.source).toBe(c.source);
      expect(c.after.source).toBe(c.source);
      expect(c.before.guid).toBe(c.guid);
      expect(c.after.guid).toBe(c.guid);
      expect(c.before.url).toBe(c.after.url);
      expect(c.before.published).toBe(c.after.published);
      expect(c.before.title).not.toBe(c.after.title);
      expect(c.before.summary.length).toBeGreaterThanOrEqual(200);
    }
  });

  it('the later version is in the fixture set, the first one is not', () => {
    for (const c of titleChanges) {
      expect(byKey.get(c.after.key)).toBe(c.after);
      expect(byKey.has(c.before.key)).toBe(false);
      expect(dedupFixtures.filter((i) => i.source === c.source && i.guid === c.guid)).toEqual([c.after]);
    }
  });

  it('covers grouped and unique articles', () => {
    expect(new Set(titleChanges.map((c) => c.after.kind))).toEqual(new Set(['near', 'guid', 'url', null]));
  });
});

describe('dedup fixtures: hard negatives', () => {
  const items = (keys: string[]) =>
    keys.map((k) => {
      const item = byKey.get(k);
      if (!item) throw new Error(`unknown key ${k}`);
      return item;
    });

  it('every set names known items, no two of them copies of each other', () => {
    for (const set of hardNegativeSets) {
      const members = items(set.keys);
      expect(members.length, set.note).toBeGreaterThanOrEqual(2);
      expect(new Set(members.map(identity)).size, set.note).toBe(members.length);
    }
  });

  it('has at least 30 look-alike items that are unique articles', () => {
    const pure = new Set(hardNegativeSets.flatMap((s) => items(s.keys)).filter((i) => i.group === null).map((i) => i.key));
    expect(pure.size).toBeGreaterThanOrEqual(30);
  });

  it.each(SAME_TITLES)('"%s" heads at least 5 different articles, from several outlets on several days', (title) => {
    const same = dedupFixtures.filter((i) => i.title === title);
    expect(new Set(same.map(identity)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(same.map((i) => i.source)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(same.map((i) => i.published.slice(0, 10))).size).toBeGreaterThanOrEqual(4);
    const set = hardNegativeSets.find((s) => s.reason === 'same-title' && items(s.keys).every((i) => i.title === title));
    expect(set?.keys.slice().sort()).toEqual(same.map((i) => i.key).sort());
  });

  it('same-event sets: different outlets (or articles) on one event within a day and a half', () => {
    const sets = hardNegativeSets.filter((s) => s.reason === 'same-event');
    expect(sets.length).toBeGreaterThanOrEqual(4);
    for (const set of sets) {
      const times = items(set.keys).map((i) => Date.parse(i.published));
      expect(Math.max(...times) - Math.min(...times), set.note).toBeLessThanOrEqual(36 * 3_600_000);
    }
    const nato = sets.find((s) => s.note.startsWith('NATO'))!;
    const sameDay = items(nato.keys).filter((i) => i.published.startsWith('2018-07-11'));
    expect(new Set(sameDay.map((i) => i.source)).size).toBeGreaterThanOrEqual(4);
  });

  it('local guid collisions: one non-global guid in two feeds, on different articles', () => {
    const sets = hardNegativeSets.filter((s) => s.reason === 'local-guid-collision');
    expect(sets.length).toBeGreaterThanOrEqual(2);
    for (const set of sets) {
      const [a, b] = items(set.keys);
      expect(a!.guid).toBe(b!.guid);
      expect(a!.guid).not.toMatch(GLOBAL_GUID);
      expect(a!.source).not.toBe(b!.source);
    }
  });

  it('query-id: two articles whose addresses differ only in the id parameter', () => {
    const set = hardNegativeSets.find((s) => s.reason === 'query-id')!;
    const [a, b] = items(set.keys).map((i) => new URL(i.url));
    expect(a!.pathname).toBe(b!.pathname);
    expect(a!.hostname).toBe(b!.hostname);
    expect(a!.searchParams.get('id')).not.toBe(b!.searchParams.get('id'));
  });
});
