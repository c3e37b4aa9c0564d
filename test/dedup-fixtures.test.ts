// Dedup quality on the labelled fixture set (src/dedup/testdata): every outlet's items are served as
// an RSS feed on a local server and polled through the production path; the duplicate links that
// result are compared pairwise with the gold groups. Goal (issue 5): precision ≥ 0.99, recall ≥ 0.95.
import { describe, expect, it } from 'vitest';
import { Poller } from '../src/ingest/poller.js';
import { dedupFixtures, titleChanges, type FixtureItem } from '../src/dedup/testdata/dedup-fixtures.js';
import { silentLogger } from '../src/log/logger.js';
import { useTestEnvironment } from './helpers/environment.js';
import { rssFeed } from './helpers/feed-xml.js';

const rss = (source: string, items: FixtureItem[]) =>
  rssFeed({
    title: source,
    link: `https://${source}.example/`,
    items: items.map((i) => ({
      title: i.title,
      link: i.url,
      guid: i.guid,
      guidIsPermaLink: false,
      published: new Date(i.published),
      description: i.summary,
    })),
  });

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

function pairs(groups: Map<string, string[]>): Set<string> {
  const out = new Set<string>();
  for (const members of groups.values()) {
    for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) out.add(pairKey(members[i]!, members[j]!));
  }
  return out;
}

describe('dedup on the labelled fixture set', () => {
  const env = useTestEnvironment('pglite', { feeds: true, reset: true });

  it('links true duplicates of every kind and nothing else', async () => {
    const bySource = new Map<string, FixtureItem[]>();
    for (const item of dedupFixtures) bySource.set(item.source, [...(bySource.get(item.source) ?? []), item]);
    for (const [source, items] of bySource) {
      env.server.route(`/${source}.xml`, { body: rss(source, items) });
      await env.db.insertInto('sources').values({ url: env.server.url(`/${source}.xml`), host: `${source}.example` }).execute();
    }
    const summary = await new Poller({ db: env.db, fetch: { userAgent: 't', allowPrivateNetworks: true }, logger: silentLogger() }).poll({ kind: 'all' });
    // Copies often qualify by several mechanisms; each mechanism must find its own kind on its own.
    const reasons = await env.db.selectFrom('items').select(['guid', 'duplicate_reason']).where('duplicate_reason', 'is not', null).execute();
    const reasonCount = (reason: string) => reasons.filter((r) => r.duplicate_reason === reason).length;
    expect(reasonCount('guid')).toBeGreaterThan(0);
    expect(reasonCount('url')).toBeGreaterThan(0);
    expect(reasonCount('near')).toBeGreaterThan(0);
    expect(summary.failed).toBe(0);
    expect(summary.newItems).toBe(dedupFixtures.length);

    const rows = await env.db
      .selectFrom('items')
      .innerJoin('sources', 'sources.id', 'items.source_id')
      .select(['items.id', 'items.guid', 'sources.url', 'items.duplicate_of', 'items.duplicate_reason'])
      .execute();
    const keyOf = new Map(
      rows.map((r) => {
        const source = /\/([^/]+)\.xml$/.exec(r.url)![1]!;
        return [r.id, dedupFixtures.find((f) => f.source === source && f.guid === r.guid)!.key];
      }),
    );
    const predicted = new Map<string, string[]>();
    for (const r of rows) {
      const root = r.duplicate_of ?? r.id;
      predicted.set(root, [...(predicted.get(root) ?? []), keyOf.get(r.id)!]);
    }
    const gold = new Map<string, string[]>();
    for (const f of dedupFixtures) if (f.group) gold.set(f.group, [...(gold.get(f.group) ?? []), f.key]);
    const p = pairs(predicted);
    const g = pairs(gold);
    const truePositives = [...p].filter((k) => g.has(k)).length;
    const precision = p.size === 0 ? 1 : truePositives / p.size;
    const recall = g.size === 0 ? 1 : truePositives / g.size;
    const kindOf = new Map(dedupFixtures.map((f) => [f.key, f.kind]));
    const perKind: Record<string, { gold: number; found: number }> = {};
    for (const k of g) {
      const kind = kindOf.get(k.split('|')[0]!) ?? 'none';
      perKind[kind] ??= { gold: 0, found: 0 };
      perKind[kind].gold += 1;
      if (p.has(k)) perKind[kind].found += 1;
    }
    const falsePositives = [...p].filter((k) => !g.has(k));
    console.log(JSON.stringify({ items: dedupFixtures.length, goldPairs: g.size, predictedPairs: p.size, precision, recall, perKind, falsePositives: falsePositives.slice(0, 10) }));
    expect(precision).toBeGreaterThanOrEqual(0.99);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('updates an item whose title changed instead of adding one', async () => {
    for (const [n, change] of titleChanges.entries()) {
      const path = `/changed-${n}.xml`;
      env.server.route(path, { body: rss(change.source, [change.before]) });
      const source = await env.db.insertInto('sources').values({ url: env.server.url(path), host: `changed${n}.example` }).returning('id').executeTakeFirstOrThrow();
      const poller = new Poller({ db: env.db, fetch: { userAgent: 't', allowPrivateNetworks: true }, logger: silentLogger() });
      await poller.poll({ kind: 'source', id: source.id });
      env.server.route(path, { body: rss(change.source, [change.after]) });
      expect(await poller.poll({ kind: 'source', id: source.id })).toMatchObject({ newItems: 0, updatedItems: 1 });
      const stored = await env.db.selectFrom('items').select('title').where('source_id', '=', source.id).execute();
      expect(stored).toEqual([{ title: change.after.title }]);
    }
  });
});
