// The format registry (src/publish/formats) is the only place formats are listed: replace one of
// its formats with another and the routes, the cached-feed fast path, the 404 message and WebSub's
// feed list follow. (That src/publish knows nothing of the HTTP layer is checked in layout.test.ts.)
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { FeedFormat } from '../src/publish/story-feed.js';
import { FEED_FORMATS } from '../src/publish/formats/index.js';
import { resetDatabase } from './helpers/databases.js';
import { useStoryServer } from './helpers/story-server.js';
import { seedStories } from './helpers/story-fixtures.js';

// A plain-text format standing in for JSON Feed: one file's worth of code, as a new format would be.
vi.mock('../src/publish/formats/json.js', () => ({
  json: {
    extension: 'txt',
    contentType: 'text/plain; charset=utf-8',
    render: (head, stories) => [head.title, `${head.selfBase}.txt`, ...stories.map((s) => s.label ?? '')].join('\n'),
  } satisfies FeedFormat,
}));

const PUBLIC = 'https://news.feedloom.example';

describe('a format added to the registry', () => {
  const env = useStoryServer('pglite', { publicUrl: PUBLIC });

  beforeAll(async () => {
    await resetDatabase(env.db);
    await seedStories(env.db);
  });

  it('is served for topic and story feeds, and the one it replaced is not', async () => {
    expect(FEED_FORMATS.map((f) => f.extension)).toEqual(['rss', 'atom', 'txt']);
    const topic = await env.app.inject('/feeds/all.txt');
    expect(topic.statusCode).toBe(200);
    expect(topic.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(topic.body.split('\n').slice(0, 2)).toEqual(['All stories', `${PUBLIC}/feeds/all.txt`]);
    const story = await env.app.inject('/clusters/1.txt');
    expect(story.statusCode).toBe(200);
    expect(story.headers['content-type']).toBe('text/plain; charset=utf-8');
    const gone = await env.app.inject('/feeds/all.json');
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.message).toBe('feeds are /feeds/{topic}.rss, .atom or .txt');
    expect(FEED_FORMATS.map((f) => env.feeds.url('all', f.extension))).toContain(`${PUBLIC}/feeds/all.txt`);
  });

  it('is answered from the cache before Fastify routes the request', async () => {
    const base = await env.app.listen({ host: '127.0.0.1', port: 0 });
    // Only the fast path asks for a cached rendering; Fastify's route asks for the feed.
    const peek = vi.spyOn(env.feeds, 'cachedTopic');
    try {
      const first = await fetch(`${base}/feeds/all.txt`);
      const etag = first.headers.get('etag')!;
      const cached = await fetch(`${base}/feeds/all.txt`, { headers: { 'if-none-match': etag } });
      expect(cached.status).toBe(304);
      expect(peek).toHaveBeenLastCalledWith('all', 'txt');
      expect(peek.mock.results.at(-1)?.value).toMatchObject({ etag });
      expect(cached.headers.get('cache-control')).toBe('public, max-age=60');
      const again = await fetch(`${base}/feeds/all.txt`);
      expect(again.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await again.text()).toBe(await first.text());
    } finally {
      peek.mockRestore();
      await env.app.server.close();
    }
  });
});
