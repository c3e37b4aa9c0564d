// Published feeds on every engine, read back by two independent parsers (rss-parser and our own
// reader): one entry per story, stable ids, caching with ETag/Last-Modified and 304s, /opml.
import Parser from 'rss-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { recount as refreshStoryCounts } from '../src/stories/story-store.js';
import { parseOpml } from '../src/opml/opml.js';
import { parseFeed } from '../src/parse/parse-feed.js';
import { FEED_FORMATS } from '../src/publish/formats/index.js';
import * as topics from '../src/topics/topics.js';
import { engines, resetDatabase } from './helpers/databases.js';
import { useStoryServer } from './helpers/story-server.js';
import { seedStories } from './helpers/story-fixtures.js';

const PUBLIC = 'https://news.feedloom.example/base';

describe.each(engines)('published feeds on %s', (engine) => {
  const env = useStoryServer(engine, { publicUrl: PUBLIC });
  let apiClusters: Array<{ id: string; label: string; items: Array<{ url: string | null; duplicateOf: string | null }> }>;

  beforeAll(async () => {
    await resetDatabase(env.db);
    await seedStories(env.db);
    await topics.addTopic(env.db, { slug: 'helsinki', title: 'Helsinki talks', query: 'helsinki' });
    apiClusters = (await env.app.inject('/api/clusters')).json().clusters;
  });

  it('publishes RSS with one item per story, read back by rss-parser', async () => {
    const res = await env.app.inject('/feeds/all.rss');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const feed = await new Parser().parseString(res.body);
    expect(feed.items.map((i) => i.title)).toEqual(apiClusters.map((c) => c.label));
    expect(feed.items[0]!.guid).toBe(`tag:news.feedloom.example,2024:story:${apiClusters[0]!.id}`);
    expect(feed.items[0]!.link).toBe(`${PUBLIC}/clusters/${apiClusters[0]!.id}`);
    expect(res.body).not.toContain('<author>');
  });

  it('publishes Atom with related links to every article and terms as categories, read back by our reader', async () => {
    const res = await env.app.inject('/feeds/all.atom');
    expect(res.statusCode).toBe(200);
    const { feed } = parseFeed({ bytes: Buffer.from(res.body), contentType: res.headers['content-type'] as string, url: `${PUBLIC}/feeds/all.atom` });
    expect(feed.format).toBe('atom1.0');
    expect(feed.feedUrl).toBe(`${PUBLIC}/feeds/all.atom`);
    expect(feed.items).toHaveLength(apiClusters.length);
    const first = feed.items[0]!;
    expect(first.id).toBe(`tag:news.feedloom.example,2024:story:${apiClusters[0]!.id}`);
    const urls = apiClusters[0]!.items.map((i) => i.url).filter(Boolean);
    for (const url of urls) expect(res.body).toContain(`<link rel="related" href="${url}"`);
    // Copies are folded into their original's line.
    if (apiClusters[0]!.items.some((i) => i.duplicateOf)) expect(first.content).toContain('also reported by');
    for (const category of res.body.match(/<category [^>]*>/g) ?? []) expect(category).toMatch(/term="/);
  });

  it('publishes JSON Feed 1.1', async () => {
    const res = await env.app.inject('/feeds/all.json');
    const feed = res.json();
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.feed_url).toBe(`${PUBLIC}/feeds/all.json`);
    expect(feed.items.map((i: { title: string }) => i.title)).toEqual(apiClusters.map((c) => c.label));
  });

  it('answers conditional requests with 304 until a story gains an article', async () => {
    const first = await env.app.inject('/feeds/helsinki.atom');
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    expect((await env.app.inject({ url: '/feeds/helsinki.atom', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    expect((await env.app.inject({ url: '/feeds/helsinki.atom', headers: { 'if-modified-since': first.headers['last-modified'] as string } })).statusCode).toBe(304);
    const story = apiClusters.find((c) => c.label.includes('Helsinki'))!;
    const source = await env.db.selectFrom('sources').select('id').executeTakeFirstOrThrow();
    await env.db.insertInto('items').values({ source_id: source.id, guid: 'late-helsinki', title: 'Helsinki talks end', url: 'https://late.example/h', published_at: new Date(), cluster_id: story.id }).execute();
    await refreshStoryCounts(env.db, [story.id]);
    // Until the change is announced (the store path does it after committing) the feed is served
    // from memory, without asking the database.
    expect((await env.app.inject({ url: '/feeds/helsinki.atom', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    env.changes.announce();
    const changed = await env.app.inject({ url: '/feeds/helsinki.atom', headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body).toContain('https://late.example/h');
  });

  it('publishes a story feed of its articles, redirects a merged story, and 404s the unknown', async () => {
    const story = apiClusters[0]!;
    const res = await env.app.inject(`/clusters/${story.id}.rss`);
    const feed = await new Parser().parseString(res.body);
    expect(feed.items.length).toBeGreaterThanOrEqual(story.items.length);
    expect((await env.app.inject('/feeds/no-such-topic.rss')).statusCode).toBe(404);
    expect((await env.app.inject('/feeds/all.xml')).statusCode).toBe(404);
    expect((await env.app.inject('/clusters/999999.atom')).statusCode).toBe(404);
    const merged = await env.db.selectFrom('clusters').select(['id', 'merged_into']).where('status', '=', 'merged').executeTakeFirst();
    if (merged?.merged_into) {
      const redirect = await env.app.inject(`/clusters/${merged.id}.json`);
      expect(redirect.statusCode).toBe(308);
      expect(redirect.headers.location).toBe(`/clusters/${merged.merged_into}.json`);
    }
  });

  it('serves every registered format for a topic feed and a story feed, with its content type', async () => {
    const story = apiClusters[0]!;
    for (const format of FEED_FORMATS) {
      for (const path of [`/feeds/all.${format.extension}`, `/feeds/helsinki.${format.extension}`, `/clusters/${story.id}.${format.extension}`]) {
        const res = await env.app.inject(path);
        expect(res.statusCode, path).toBe(200);
        expect(res.headers['content-type'], path).toBe(format.contentType);
        expect(res.body, path).toContain(`${PUBLIC}${path}`);
      }
    }
    const { message } = (await env.app.inject('/feeds/all.xml')).json().error;
    for (const format of FEED_FORMATS) expect(message).toContain(`.${format.extension}`);
  });

  it('lists every topic feed in /opml', async () => {
    const res = await env.app.inject('/opml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/x-opml; charset=utf-8');
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">\n  <head>\n    <title>feedloom topic feeds<\/title>\n  <\/head>\n/);
    expect(res.body).toContain(`<outline type="rss" text="Helsinki talks" title="Helsinki talks" xmlUrl="${PUBLIC}/feeds/helsinki.rss" htmlUrl="${PUBLIC}/"/>`);
    const doc = parseOpml(res.body);
    expect(doc.title).toBe('feedloom topic feeds');
    expect(doc.feeds).toEqual([
      { url: `${PUBLIC}/feeds/all.rss`, title: 'All stories', siteUrl: `${PUBLIC}/`, categories: [] },
      { url: `${PUBLIC}/feeds/helsinki.rss`, title: 'Helsinki talks', siteUrl: `${PUBLIC}/`, categories: [] },
    ]);
  });
});
