// Stories stay true to their items whatever happens to them: random sequences of polls, retention,
// source removal, splits and merges, checked after every step (stored counts equal a recount, no
// empty story is listed or published, copies sit with their originals), plus one regression test
// for each way the counts used to go stale.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { findStoryDrift } from '../db/queries/story-drift.js';
import { Poller } from '../src/ingest/poller.js';
import { silentLogger } from '../src/log/logger.js';
import { pruneOnce } from '../src/retention/retention.js';
import { removeSource } from '../src/sources/sources.js';
import { checkStories } from '../src/stories/doctor.js';
import { listClusters } from '../src/stories/stories.js';
import { lockStories, merge, placeRemaining, split } from '../src/stories/story-store.js';
import { engines } from './helpers/databases.js';
import { testFetch as FETCH, useTestEnvironment } from './helpers/environment.js';
import { rssFeed } from './helpers/feed-xml.js';
import { OUTLETS, newsStream, seeded, type NewsReport } from './helpers/news-stream.js';

describe.each(engines)('story integrity on %s', { timeout: 300_000 }, (engine) => {
  const env = useTestEnvironment(engine, { feeds: true, reset: true, app: { adminToken: 'integrity' } });

  /** Serves each outlet's feed with the reports it has published so far. */
  function publish(reports: NewsReport[]): void {
    for (const outlet of OUTLETS) {
      const items = reports
        .filter((r) => r.outlet === outlet)
        .slice(-40)
        .map((r) => ({ title: r.title, link: r.url, guid: r.guid, guidIsPermaLink: false as const, published: r.published, description: r.summary }));
      env.server.route(`/${outlet}.xml`, { headers: { 'content-type': 'application/rss+xml' }, body: rssFeed({ title: outlet, link: `https://${outlet}.example/`, items }) });
    }
  }

  async function addSource(outlet: string): Promise<string> {
    const row = await env.db
      .insertInto('sources')
      .values({ url: env.server.url(`/${outlet}.xml`), host: '127.0.0.1', title: outlet })
      .onConflict((oc) => oc.column('url').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id ?? (await env.db.selectFrom('sources').select('id').where('url', '=', env.server.url(`/${outlet}.xml`)).executeTakeFirstOrThrow()).id;
  }

  /** Every invariant a reader relies on, checked from the outside. */
  async function expectIntact(step: string): Promise<void> {
    const drift = await findStoryDrift(env.db);
    expect(drift, step).toEqual({ miscounted: [], mergedWithItems: [], strayCopies: [], chainedCopies: [], homeless: [], unlabelled: [] });
    const listed = (await listClusters(env.db, { limit: 500 })).rows;
    const items = await env.db.selectFrom('items').select(['id', 'cluster_id']).execute();
    const inListed = new Set(listed.flatMap((s) => s.items.map((i) => i.id)));
    // Every item is in exactly one listed story, and every listed story has what it says.
    expect(items.filter((i) => !inListed.has(i.id)).map((i) => i.id), step).toEqual([]);
    for (const story of listed) {
      expect(story.items.length, `${step}: story ${story.id}`).toBeGreaterThan(0);
      expect(story.itemCount, `${step}: story ${story.id}`).toBe(story.items.length);
      expect(story.sourceCount, `${step}: story ${story.id}`).toBe(new Set(story.items.map((i) => i.source.id)).size);
      const times = story.items.map((i) => i.publishedAt ?? i.fetchedAt).sort();
      expect([story.firstPublishedAt, story.lastPublishedAt], `${step}: story ${story.id}`).toEqual([times[0], times.at(-1)]);
      for (const item of story.items) if (item.duplicateOf) expect(story.items.some((o) => o.id === item.duplicateOf), `${step}: copy ${item.id}`).toBe(true);
    }
    // The published feed shows the same stories, none empty.
    env.changes.announce();
    const feed = (await env.app.inject('/feeds/all.json')).json() as { items: Array<{ id: string; content_html: string }> };
    expect(feed.items.length, step).toBe(Math.min(50, listed.length));
    for (const entry of feed.items) expect(entry.content_html, `${step}: ${entry.id}`).toMatch(/<li>/);
  }

  it('keeps every story true through random polls, retention, removals, splits and merges', async () => {
    const stream = newsStream(2018, 240);
    const random = seeded(7);
    const poller = new Poller({ db: env.db, fetch: FETCH, logger: silentLogger() });
    const sources = new Map<string, string>();
    for (const outlet of OUTLETS) sources.set(outlet, await addSource(outlet));
    let shown = 0;
    const ops: string[] = [];
    for (let step = 0; step < 24; step++) {
      const roll = step < 3 ? 0 : random();
      if (roll < 0.4) {
        shown = Math.min(stream.length, shown + 20 + Math.floor(random() * 30));
        publish(stream.slice(0, shown));
        for (const outlet of OUTLETS) if (!sources.has(outlet)) sources.set(outlet, await addSource(outlet));
        await poller.poll({ kind: 'all' });
        ops.push(`poll ${shown}`);
      } else if (roll < 0.5) {
        // Everything at once, as a server and a worker do on one PostgreSQL: new items arrive
        // while a source is removed, a story is split and retention runs.
        shown = Math.min(stream.length, shown + 20);
        publish(stream.slice(0, shown));
        const listed = (await listClusters(env.db, { limit: 500, minItems: 2 })).rows;
        const victim = [...sources.keys()][Math.floor(random() * sources.size)];
        await Promise.all([
          poller.poll({ kind: 'all' }),
          victim ? removeSource(env.db, sources.get(victim)!).then(() => sources.delete(victim)) : null,
          listed[0] ? split(env.db, listed[0].id, [listed[0].items.at(-1)!.id]) : null,
          pruneOnce(env.db, { retentionDays: 1, batchSize: 5 }, undefined, new Date(Date.UTC(2018, 6, 10, 12))),
        ]);
        ops.push(`concurrent (poll ${shown}, remove ${victim}, split ${listed[0]?.id}, retention)`);
      } else if (roll < 0.6) {
        // Retention with a clock that cuts somewhere into what is stored.
        const { rows } = await sql<{ first: Date | null; last: Date | null }>`
          select min(coalesce(published_at, fetched_at)) as first, max(coalesce(published_at, fetched_at)) as last from items`.execute(env.db);
        const { first, last } = rows[0]!;
        if (!first || !last) continue;
        const cutoff = first.getTime() + random() * (last.getTime() - first.getTime()) * 0.5;
        await pruneOnce(env.db, { retentionDays: 1, batchSize: 7 }, undefined, new Date(cutoff + 86_400_000));
        ops.push(`retention before ${new Date(cutoff).toISOString()}`);
      } else if (roll < 0.7) {
        const outlet = [...sources.keys()][Math.floor(random() * sources.size)];
        if (!outlet) continue;
        await removeSource(env.db, sources.get(outlet)!);
        sources.delete(outlet);
        ops.push(`remove ${outlet}`);
      } else if (roll < 0.85) {
        const big = (await listClusters(env.db, { limit: 500, minItems: 2 })).rows;
        const story = big[Math.floor(random() * big.length)];
        if (!story) continue;
        // Copies too: a chosen copy whose original stays becomes an original of the new story.
        const chosen = story.items.filter(() => random() < 0.5).map((i) => i.id);
        await env.db.transaction().execute((trx) => split(trx, story.id, chosen.length > 0 ? chosen : [story.items[0]!.id]));
        ops.push(`split ${story.id}${story.items.some((i) => i.duplicateOf && chosen.includes(i.id)) ? ' (with a copy)' : ''}`);
      } else {
        const listed = (await listClusters(env.db, { limit: 500 })).rows;
        if (listed.length < 2) continue;
        const [a, b] = [listed[Math.floor(random() * listed.length)]!, listed[Math.floor(random() * listed.length)]!];
        if (a.id === b.id) continue;
        const [into, from] = BigInt(a.id) < BigInt(b.id) ? [a.id, b.id] : [b.id, a.id];
        await env.db.transaction().execute((trx) => merge(trx, from, into));
        ops.push(`merge ${from} into ${into}`);
      }
      await expectIntact(`step ${step} (${ops.join('; ')})`);
    }
    // The sequence did all five kinds of change, and the doctor agrees nothing drifted.
    for (const kind of ['poll', 'retention', 'remove', 'split', 'merge', 'concurrent']) expect(ops.some((op) => op.startsWith(kind)), ops.join('; ')).toBe(true);
    expect((await checkStories(env.db, { fix: false })).problems).toBe(0);
  });

  describe('regressions', () => {
    async function twoOutletStory(): Promise<{ storyId: string; sources: [string, string]; items: [string, string] }> {
      const at = new Date(Date.UTC(2018, 6, 11, 9));
      const report = { title: 'NATO leaders meet in Brussels for two-day summit', summary: 'Jens Stoltenberg opened the NATO summit in Brussels with a call for higher defence spending by alliance members.' };
      env.server.route('/a.xml', { headers: { 'content-type': 'application/rss+xml' }, body: rssFeed({ title: 'A', link: 'https://a.example/', items: [{ ...report, link: 'https://a.example/1', guid: 'a-1', published: at, description: report.summary }] }) });
      const later = new Date(at.getTime() + 3_600_000);
      env.server.route('/b.xml', { headers: { 'content-type': 'application/rss+xml' }, body: rssFeed({ title: 'B', link: 'https://b.example/', items: [{ ...report, title: 'Brussels summit: NATO allies meet', link: 'https://b.example/1', guid: 'b-1', published: later, description: report.summary }] }) });
      const a = await addSourceAt('/a.xml');
      const b = await addSourceAt('/b.xml');
      // One after the other, so that the earlier report is stored first and stays the original.
      const poller = new Poller({ db: env.db, fetch: FETCH, logger: silentLogger() });
      await poller.poll({ kind: 'source', id: a });
      await poller.poll({ kind: 'source', id: b });
      const rows = await env.db.selectFrom('items').select(['id', 'cluster_id', 'duplicate_of']).orderBy('id').execute();
      expect(rows).toHaveLength(2);
      expect(rows[1]!.duplicate_of).toBe(rows[0]!.id);
      return { storyId: String(rows[0]!.cluster_id), sources: [a, b], items: [rows[0]!.id, rows[1]!.id] };
    }
    async function addSourceAt(path: string): Promise<string> {
      return (await env.db.insertInto('sources').values({ url: env.server.url(path), host: '127.0.0.1', title: path }).returning('id').executeTakeFirstOrThrow()).id;
    }
    const story = async (id: string) => (await env.app.inject(`/api/clusters/${id}`)).json();

    it('retention that prunes the original leaves a story of one, its copy promoted', async () => {
      const { storyId, items } = await twoOutletStory();
      expect(await story(storyId)).toMatchObject({ itemCount: 2, sourceCount: 2 });
      // Only the first report (09:00) is older than the cutoff.
      await pruneOnce(env.db, { retentionDays: 1 }, undefined, new Date(Date.UTC(2018, 6, 12, 9, 30)));
      const left = await story(storyId);
      expect(left).toMatchObject({ itemCount: 1, sourceCount: 1, lastPublishedAt: '2018-07-11T10:00:00.000Z' });
      expect(left.items).toMatchObject([{ id: items[1], duplicateOf: null, membership: { reason: 'new story', duplicateOf: null } }]);
      await expectIntact('after retention');
    });

    it('removing a source closes the stories it leaves empty and recounts the others', async () => {
      const { storyId, sources } = await twoOutletStory();
      await removeSource(env.db, sources[0]);
      expect(await story(storyId)).toMatchObject({ itemCount: 1, sourceCount: 1, items: [{ source: { id: sources[1] } }] });
      await removeSource(env.db, sources[1]);
      expect((await env.app.inject(`/api/clusters/${storyId}`)).statusCode).toBe(404);
      expect((await env.app.inject('/api/clusters?minItems=1')).json().clusters).toEqual([]);
      env.changes.announce();
      expect((await env.app.inject('/feeds/all.json')).json().items).toEqual([]);
      expect((await env.app.inject('/metrics')).body).toMatch(/^feedloom_stories 0$/m);
      expect(await env.db.selectFrom('clusters').select(['status', 'item_count']).where('id', '=', storyId).executeTakeFirst()).toEqual({ status: 'closed', item_count: 0 });
      await expectIntact('after removals');
    });

    it('a split describes both stories again from what they hold', async () => {
      const reports = newsStream(11, 60).filter((r) => r.event === 'cave' || r.event === 'summit');
      publish(reports);
      for (const outlet of OUTLETS) await addSource(outlet);
      await new Poller({ db: env.db, fetch: FETCH, logger: silentLogger() }).poll({ kind: 'all' });
      // Bring the two events into one story, then split the summit's reports back out.
      const listed = (await listClusters(env.db, { limit: 500 })).rows;
      const into = listed.map((s) => s.id).sort((x, y) => Number(BigInt(x) - BigInt(y)))[0]!;
      for (const s of listed) if (s.id !== into) await merge(env.db, s.id, into);
      const merged = await story(into);
      const summitIds = merged.items.filter((i: { title: string; duplicateOf: string | null }) => i.duplicateOf === null && /NATO|Stoltenberg|Allies/.test(i.title)).map((i: { id: string }) => i.id);
      const res = await env.app.inject({ method: 'POST', url: `/api/clusters/${into}/split`, payload: { itemIds: summitIds }, headers: { authorization: 'Bearer integrity' } });
      expect(res.statusCode, res.body).toBe(201);
      const fresh = res.json();
      const kept = await story(into);
      // Each story is labelled by one of its own headlines, and has terms of its own.
      expect(fresh.items.map((i: { title: string }) => i.title)).toContain(fresh.label);
      expect(kept.items.map((i: { title: string }) => i.title)).toContain(kept.label);
      expect(fresh.label).toMatch(/NATO|Stoltenberg|Allies|Brussels/);
      expect(kept.label).not.toMatch(/NATO|Stoltenberg|Allies|Brussels/);
      expect(fresh.terms.length).toBeGreaterThan(0);
      expect(fresh.terms.join(' ')).toMatch(/nato|brussel|stoltenberg/i);
      expect(kept.terms.join(' ')).not.toMatch(/nato|stoltenberg/i);
      await expectIntact('after split');
    });

    it.runIf(engine === 'postgres')('story writers wait for each other: removal, split, retention and polls hold one lock', async () => {
      const { storyId, sources } = await twoOutletStory();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const taken = new Promise<void>((resolve) => (locked = resolve));
      const holder = env.db.transaction().execute(async (trx) => {
        await lockStories(trx);
        locked();
        await held;
      });
      await taken;
      const finished: string[] = [];
      const writers = [
        removeSource(env.db, sources[0]).then(() => finished.push('remove')),
        split(env.db, storyId, ['0']).then(() => finished.push('split')),
        pruneOnce(env.db, { retentionDays: 1 }, undefined, new Date(Date.UTC(2018, 6, 12, 9, 30))).then(() => finished.push('retention')),
        new Poller({ db: env.db, fetch: FETCH, logger: silentLogger() }).poll({ kind: 'source', id: sources[1] }).then(() => finished.push('poll')),
      ];
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(finished).toEqual([]);
      release();
      await holder;
      await Promise.all(writers);
      expect(finished.sort()).toEqual(['poll', 'remove', 'retention', 'split']);
      await expectIntact('after the writers');
    });

    it('an original left without a story opens one, and its copy in the same batch joins it', async () => {
      // As when the clusterer placed the original in a story deleted meanwhile (it is left out).
      const source = await addSourceAt('/d.xml');
      const at = new Date(Date.UTC(2018, 6, 11, 9));
      const original = (await env.db.insertInto('items').values({ source_id: source, guid: 'd-1', title: 'Divers reach the boys', published_at: at }).returning('id').executeTakeFirstOrThrow()).id;
      const copy = (await env.db.insertInto('items').values({ source_id: source, guid: 'd-2', title: 'Divers reach boys', published_at: at, duplicate_of: original, duplicate_reason: 'near', duplicate_similarity: 0.9 }).returning('id').executeTakeFirstOrThrow()).id;
      const opened = await env.db.transaction().execute((trx) => placeRemaining(trx, [copy, original]));
      expect(opened).toBe(1);
      const rows = await env.db.selectFrom('items').select(['id', 'cluster_id']).orderBy('id').execute();
      expect(rows[0]!.cluster_id).not.toBeNull();
      expect(rows[1]!.cluster_id).toBe(rows[0]!.cluster_id);
      await expectIntact('after placing the rest');
    });

    it('the doctor reports drift and --fix repairs it', async () => {
      const { storyId } = await twoOutletStory();
      // Drift as older versions left it: stale counts, an empty story still open, an item in no story.
      await env.db.updateTable('clusters').set({ item_count: 7, source_count: 5 }).where('id', '=', storyId).execute();
      await env.db.insertInto('clusters').values({ label: 'Emptied', item_count: 2, source_count: 1 }).execute();
      const source = await addSourceAt('/c.xml');
      await env.db.insertInto('items').values({ source_id: source, guid: 'c-1', title: 'Stray report', published_at: new Date(Date.UTC(2018, 6, 11)) }).execute();
      const found = await checkStories(env.db, { fix: false });
      expect(found.found.miscounted).toHaveLength(2);
      expect(found.found.homeless).toHaveLength(1);
      expect(found.left).toBeNull();
      const fixed = await checkStories(env.db, { fix: true });
      expect(fixed.problems).toBe(3);
      expect(Object.values(fixed.left!).flat()).toEqual([]);
      await expectIntact('after doctor --fix');
    });
  });
});
