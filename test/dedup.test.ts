// Cross-feed deduplication through the real poll path: feeds on a local server, a real database.
import { describe, expect, it } from 'vitest';
import { Poller } from '../src/ingest/poller.js';
import { silentLogger } from '../src/log/logger.js';
import { engines } from './helpers/databases.js';
import { testFetch as fetch, useTestEnvironment } from './helpers/environment.js';
import { rssFeed } from './helpers/feed-xml.js';

interface Entry {
  guid: string;
  link: string;
  title: string;
  text: string;
  date: string;
}

const rss = (title: string, entries: Entry[]) =>
  rssFeed({
    title,
    link: `https://${title}.example/`,
    items: entries.map((e) => ({ title: e.title, link: e.link, guid: e.guid, published: new Date(e.date), description: e.text })),
  });

const WIRE =
  'Rescue divers brought the last four boys and their football coach out of the flooded Tham Luang cave in northern Thailand on Tuesday, ' +
  'ending an 18-day ordeal that had gripped the world. The operation, led by Thai navy divers with help from international cave experts, ' +
  'guided the group through kilometres of narrow, submerged passages. Officials said all thirteen were taken to hospital in Chiang Rai ' +
  'and were in good condition, though they would remain in quarantine for several days while doctors monitored them for infections.';

describe.each(engines)('deduplication on %s', (engine) => {
  const env = useTestEnvironment(engine, { feeds: true, reset: true });

  const feed = async (name: string, entries: Entry[], preferred = false): Promise<string> => {
    env.server.route(`/${name}.xml`, { body: rss(name, entries) });
    const row = await env.db.insertInto('sources').values({ url: env.server.url(`/${name}.xml`), host: `${name}.example`, preferred }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  };
  const worker = () => new Poller({ db: env.db, fetch, logger: silentLogger() });
  const poll = () => worker().poll({ kind: 'all' });
  const items = () =>
    env.db
      .selectFrom('items as i')
      .leftJoin('items as o', 'o.id', 'i.duplicate_of')
      .select(['i.guid', 'i.title', 'o.guid as original', 'i.duplicate_reason as reason', 'i.duplicate_similarity as similarity', 'i.cluster_id'])
      .orderBy('i.guid')
      .execute();

  it('links an aggregator copy to the original blog post by guid, and by canonical URL', async () => {
    await feed('blog', [
      { guid: 'https://lena-writes.example/2018/07/heatwave', link: 'https://lena-writes.example/2018/07/heatwave', title: 'Notes from a hot summer', text: 'The rivers are low and the city is quiet.', date: '2018-07-20T08:00:00Z' },
      { guid: 'lena-post-2', link: 'https://lena-writes.example/2018/07/heatwave-two/', title: 'More notes', text: 'Second post about the heat.', date: '2018-07-21T08:00:00Z' },
    ]);
    await feed('planet', [
      { guid: 'https://lena-writes.example/2018/07/heatwave', link: 'https://lena-writes.example/2018/07/heatwave', title: 'Lena: Notes from a hot summer', text: 'The rivers are low and the city is quiet.', date: '2018-07-20T09:00:00Z' },
      { guid: 'planet-9913', link: 'http://www.lena-writes.example/2018/07/heatwave-two?utm_source=planet&utm_medium=rss#comments', title: 'Lena: More notes', text: 'Second post about the heat.', date: '2018-07-21T09:30:00Z' },
    ]);
    const summary = await poll();
    expect(summary).toMatchObject({ newItems: 4, duplicates: 2, clusters: 2 });
    const rows = await items();
    const copy = rows.find((r) => r.guid === 'https://lena-writes.example/2018/07/heatwave' && r.original);
    expect(copy).toMatchObject({ reason: 'guid', similarity: 1 });
    expect(rows.find((r) => r.guid === 'planet-9913')).toMatchObject({ original: 'lena-post-2', reason: 'url' });
    // A copy joins its original's story.
    expect(rows.find((r) => r.guid === 'planet-9913')!.cluster_id).toBe(rows.find((r) => r.guid === 'lena-post-2')!.cluster_id);
    const stories = await env.db.selectFrom('clusters').select(['item_count', 'source_count']).orderBy('id').execute();
    expect(stories).toEqual([{ item_count: 2, source_count: 2 }, { item_count: 2, source_count: 2 }]);
  });

  it('finds wire copy under three headlines, with the earliest as original, and keeps different stories apart', async () => {
    await feed('courier', [
      { guid: 'c-1', link: 'https://courier.example/world/cave-rescue', title: 'All 13 rescued from Thai cave', text: WIRE, date: '2018-07-10T14:00:00Z' },
      { guid: 'c-2', link: 'https://courier.example/live/1', title: 'Live updates', text: 'Follow our live coverage of the NATO summit in Brussels, where leaders are meeting today to discuss defence spending.', date: '2018-07-11T08:00:00Z' },
    ]);
    await feed('ledger', [
      { guid: 'l-1', link: 'https://ledger.example/n/88', title: 'Boys and coach freed after 18 days underground', text: `CHIANG RAI, Thailand — ${WIRE.replace('on Tuesday', 'late on Tuesday')}`, date: '2018-07-10T12:30:00Z' },
      { guid: 'l-2', link: 'https://ledger.example/live', title: 'Live updates', text: 'Follow our live coverage of the World Cup final in Moscow between France and Croatia, with commentary from the stadium.', date: '2018-07-15T15:00:00Z' },
    ]);
    await feed('gazette', [
      { guid: 'g-1', link: 'https://gazette.example/a/cave', title: 'Thailand cave: last four boys out', text: WIRE.split('. ').slice(0, 3).join('. ') + '.', date: '2018-07-10T16:45:00Z' },
      { guid: 'g-2', link: 'https://gazette.example/a/rescue-analysis', title: 'How the divers did it', text: 'The rescue in Thailand relied on a chain of divers and pumps. Experts explain how oxygen tanks were staged along the route and why the boys were sedated for the journey.', date: '2018-07-11T07:00:00Z' },
    ]);
    const summary = await poll();
    expect(summary).toMatchObject({ newItems: 6, duplicates: 2 });
    const rows = await items();
    const byGuid = Object.fromEntries(rows.map((r) => [r.guid, r]));
    expect(byGuid['l-1']).toMatchObject({ original: null });
    expect(byGuid['c-1']).toMatchObject({ original: 'l-1', reason: 'near' });
    expect(byGuid['g-1']).toMatchObject({ original: 'l-1', reason: 'near' });
    expect(byGuid['c-1']!.similarity).toBeGreaterThanOrEqual(0.5);
    expect(byGuid['c-1']!.similarity).toBeLessThanOrEqual(1);
    for (const distinct of ['c-2', 'l-2', 'g-2']) expect(byGuid[distinct]!.original, distinct).toBeNull();
    expect(new Set(rows.map((r) => r.cluster_id)).size).toBe(4);
  });

  it('makes a preferred source the original, and an earlier copy arriving later takes the story over', async () => {
    await feed('wire', [{ guid: 'w-1', link: 'https://wire.example/cave', title: 'Cave rescue complete', text: WIRE, date: '2018-07-10T13:00:00Z' }]);
    await poll();
    const story = (await env.db.selectFrom('clusters').select('id').executeTakeFirstOrThrow()).id;
    // A backlog from a new source brings an earlier copy: it becomes the original, in the same story.
    await feed('early', [{ guid: 'e-1', link: 'https://early.example/cave', title: 'Rescue in Thailand', text: WIRE, date: '2018-07-10T11:00:00Z' }]);
    await poll();
    let rows = await items();
    expect(rows.map((r) => [r.guid, r.original])).toEqual([['e-1', null], ['w-1', 'e-1']]);
    expect(new Set(rows.map((r) => r.cluster_id))).toEqual(new Set([story]));
    // A preferred outlet leads even when it published later.
    await feed('house', [{ guid: 'h-1', link: 'https://house.example/cave', title: 'Our report', text: WIRE, date: '2018-07-10T18:00:00Z' }], true);
    await poll();
    rows = await items();
    expect(rows.map((r) => [r.guid, r.original])).toEqual([['e-1', 'h-1'], ['h-1', null], ['w-1', 'h-1']]);
    const counts = await env.db.selectFrom('clusters').select(['id', 'item_count', 'source_count']).execute();
    expect(counts).toEqual([{ id: story, item_count: 3, source_count: 3 }]);
  });

  it('finds a copy that another worker stored after this one loaded its index', async () => {
    // Recent items, so that the workers' in-memory indexes answer (old ones are read from the database).
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const [first, second] = [worker(), worker()];
    await feed('opener', [{ guid: 'o-1', link: 'https://opener.example/1', title: 'Harbour reopens', text: 'The harbour reopened on Monday after repairs to the breakwater that took most of the spring.', date: hoursAgo(6) }]);
    await second.poll({ kind: 'all' });
    const courier = await feed('courier', [{ guid: 'c-1', link: 'https://courier.example/cave', title: 'All 13 rescued', text: WIRE, date: hoursAgo(3) }]);
    await first.poll({ kind: 'source', id: courier });
    const ledger = await feed('ledger', [{ guid: 'l-1', link: 'https://ledger.example/cave', title: 'Boys and coach freed', text: `CHIANG RAI, Thailand — ${WIRE}`, date: hoursAgo(2) }]);
    await second.poll({ kind: 'source', id: ledger });
    const rows = await items();
    expect(rows.find((r) => r.guid === 'l-1')).toMatchObject({ original: 'c-1', reason: 'near' });
    expect(rows.find((r) => r.guid === 'c-1')).toMatchObject({ original: null });
  });
});
