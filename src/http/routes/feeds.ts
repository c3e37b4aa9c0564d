// Published feeds: /feeds/{topic}.rss|.atom|.json (one entry per matching story, newest activity
// first) and /clusters/{id}.rss|.atom|.json (the articles of one story, as a story feed of one).
//
// Rendered bytes are cached per (feed, format) and served without touching the database until a
// change is announced (src/publish/feed-cache.ts). ETag is a hash of the bytes (strong),
// Last-Modified the latest story change; conditional requests get 304.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { FeedCache, type Loaded, type RenderedFeed } from '../../publish/feed-cache.js';
import { CONTENT_TYPES, renderStoryFeed, storyUpdated, type FeedFormat, type FeedHead } from '../../publish/story-feed.js';
import type { StoryChanges } from '../../publish/story-changes.js';
import * as stories from '../../stories/stories.js';
import * as topics from '../../topics/topics.js';
import { sendError } from '../errors.js';

const FEED_FILE = /^([a-z0-9-]{1,64})\.(rss|atom|json)$/;
const STORY_FILE = /^(\d{1,18})\.(rss|atom|json)$/;
/** Stories per topic feed. */
const FEED_SIZE = 50;
/** Readers may reuse a feed this long without asking again. */
const MAX_AGE_SECONDS = 60;
const CACHE_CONTROL = `public, max-age=${MAX_AGE_SECONDS}`;

export interface FeedRouteOptions {
  db: Kysely<Database>;
  publicUrl: string;
  hub?: string | null;
  changes: StoryChanges;
}

/**
 * What a feed shows and how to render it. The fingerprint is a hash of everything rendered (head,
 * stories, their articles and outlets): an edited headline or a renamed outlet changes it too.
 */
function snapshotOf(format: FeedFormat, head: FeedHead, list: stories.ClusterJson[]): Loaded<never> {
  const fingerprint = createHash('sha256').update(JSON.stringify([head, list])).digest('base64url');
  return {
    snapshot: {
      fingerprint,
      render: () => ({
        body: renderStoryFeed(format, head, list),
        lastModified: list.length > 0 ? new Date(Math.max(...list.map((s) => storyUpdated(s).getTime()))) : new Date(0),
      }),
    },
  };
}

type StoryOutcome = { kind: 'merged'; into: string } | { kind: 'missing' };

/** The validators and caching headers of a feed response (200 and 304 alike). */
function validatorHeaders(rendered: RenderedFeed): Record<string, string> {
  return { etag: rendered.etag, 'last-modified': rendered.lastModifiedHttp, 'cache-control': CACHE_CONTROL };
}

/**
 * Whether a conditional request may be answered with 304: If-None-Match first, else
 * If-Modified-Since. If-None-Match compares weakly (RFC 9110 13.1.2): a proxy that compresses the
 * feed (nginx with gzip) turns our strong ETag into W/"…", and readers send that back.
 */
function isUnchanged(headers: IncomingHttpHeaders, rendered: RenderedFeed): boolean {
  const noneMatch = headers['if-none-match'];
  if (noneMatch) {
    return noneMatch === rendered.etag || noneMatch.split(',').some((tag) => {
      const trimmed = tag.trim();
      return trimmed === '*' || (trimmed.startsWith('W/') ? trimmed.slice(2) : trimmed) === rendered.etag;
    });
  }
  const modifiedSince = headers['if-modified-since'];
  return modifiedSince ? Math.floor(rendered.lastModified.getTime() / 1000) <= Math.floor(Date.parse(modifiedSince) / 1000) : false;
}

function send(request: FastifyRequest, reply: FastifyReply, format: FeedFormat, rendered: RenderedFeed) {
  reply.headers(validatorHeaders(rendered));
  if (isUnchanged(request.headers, rendered)) return reply.code(304).send();
  return reply.header('content-type', CONTENT_TYPES[format]).send(rendered.body);
}

/**
 * Answers a request for a topic feed that is cached and unchanged straight on the Node response,
 * before Fastify routes it; returns false for anything else, which Fastify then handles. Feed
 * readers poll, so this is most of the traffic: on this 2-core VM Fastify's per-request work
 * (request and reply objects, routing, hooks, promises) made the 304 path 30% slower than plain
 * node:http, and the answer needs none of it.
 */
export function serveCachedFeed(feeds: TopicFeeds, req: IncomingMessage, res: ServerResponse): boolean {
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.url?.startsWith('/feeds/')) return false;
  const query = req.url.indexOf('?');
  const match = FEED_FILE.exec(req.url.slice('/feeds/'.length, query < 0 ? undefined : query));
  if (!match) return false;
  const format = match[2] as FeedFormat;
  const rendered = feeds.cachedTopic(match[1]!, format);
  if (!rendered) return false;
  if (isUnchanged(req.headers, rendered)) {
    res.writeHead(304, validatorHeaders(rendered)).end();
  } else {
    res.writeHead(200, { ...validatorHeaders(rendered), 'content-type': CONTENT_TYPES[format], 'content-length': rendered.body.length });
    res.end(req.method === 'GET' ? rendered.body : undefined);
  }
  return true;
}

/** The topic feeds' renderings, shared by the feed routes and the WebSub publisher. */
export class TopicFeeds {
  private readonly cache: FeedCache;
  private readonly publicUrl: string;

  constructor(private readonly options: FeedRouteOptions) {
    this.cache = new FeedCache(options.changes);
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
  }

  /** The absolute URL of a topic feed. */
  url(slug: string, format: FeedFormat): string {
    return `${this.publicUrl}/feeds/${slug}.${format}`;
  }

  /** The front page the feeds stand for. */
  get home(): string {
    return `${this.publicUrl}/`;
  }

  /** A topic's feed if it can be served without asking the database, else null. */
  cachedTopic(slug: string, format: FeedFormat): RenderedFeed | null {
    return this.cache.peek(`topic:${slug}:${format}`);
  }

  /** A topic's feed (`all` is every story); an unknown topic is a UserError (not_found). */
  async topic(slug: string, format: FeedFormat): Promise<RenderedFeed> {
    const { db, hub } = this.options;
    const publicUrl = this.publicUrl;
    const served = await this.cache.get(`topic:${slug}:${format}`, async () => {
      const { topic, query } = await topics.resolveTopic(db, slug);
      const page = await stories.listClusters(db, { topic: query, limit: FEED_SIZE });
      return snapshotOf(format, {
        selfBase: `${publicUrl}/feeds/${slug}`,
        title: topic ? topic.title : 'All stories',
        description: topic?.description ?? (topic ? `Stories matching ${topic.query}` : 'Every story, newest activity first'),
        link: `${publicUrl}/`,
        publicUrl,
        hub: hub ?? null,
      }, page.rows);
    });
    if ('instead' in served) throw new Error('a topic feed always renders');
    return served.rendered;
  }

  /** One story's feed of its articles (each article as a story of one), or where a merged story went. */
  async story(id: string, format: FeedFormat): Promise<{ kind: 'feed'; rendered: RenderedFeed } | StoryOutcome> {
    const { db, hub } = this.options;
    const publicUrl = this.publicUrl;
    const served = await this.cache.get<StoryOutcome>(`story:${id}:${format}`, async () => {
      const found = await stories.getCluster(db, id);
      if (found.kind === 'merged') return { instead: { kind: 'merged', into: found.into } };
      if (found.kind === 'missing') return { instead: { kind: 'missing' } };
      const story = found.cluster;
      const entries: stories.ClusterJson[] = story.items.map((item) => ({
        ...story,
        id: `${story.id}-${item.id}`,
        label: item.title,
        itemCount: 1,
        sourceCount: 1,
        firstPublishedAt: item.publishedAt,
        lastPublishedAt: item.publishedAt,
        items: [item],
      }));
      return snapshotOf(format, {
        selfBase: `${publicUrl}/clusters/${id}`,
        title: story.label ?? `Story ${id}`,
        description: `${story.itemCount} articles from ${story.sourceCount} sources`,
        link: `${publicUrl}/clusters/${id}`,
        publicUrl,
        hub: hub ?? null,
      }, entries);
    });
    return 'instead' in served ? served.instead : { kind: 'feed', rendered: served.rendered };
  }
}

export function feedRoutes(app: FastifyInstance, feeds: TopicFeeds, db: Kysely<Database>): void {
  app.get('/feeds/:file', async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const match = FEED_FILE.exec(request.params.file);
    if (!match) return sendError(reply, 404, 'not_found', 'feeds are /feeds/{topic}.rss, .atom or .json');
    const [, slug, format] = match as unknown as [string, string, FeedFormat];
    return send(request, reply, format, await feeds.topic(slug, format));
  });

  app.get('/clusters/:file', async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const match = STORY_FILE.exec(request.params.file);
    if (!match) return sendError(reply, 404, 'not_found', 'story feeds are /clusters/{id}.rss, .atom or .json');
    const [, id, format] = match as unknown as [string, string, FeedFormat];
    const found = await feeds.story(id, format);
    if (found.kind === 'merged') return reply.redirect(`/clusters/${found.into}.${format}`, 308);
    if (found.kind === 'missing') return sendError(reply, 404, 'not_found', `no story with id ${id}`);
    return send(request, reply, format, found.rendered);
  });

  app.get('/opml', async (_request, reply) => {
    const list = [{ slug: 'all', title: 'All stories' }, ...(await topics.listTopics(db))];
    const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
    const outlines = list
      .map((t) => `    <outline type="rss" text="${escape(t.title)}" title="${escape(t.title)}" xmlUrl="${escape(feeds.url(t.slug, 'rss'))}" htmlUrl="${escape(feeds.home)}"/>`)
      .join('\n');
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head>\n    <title>feedloom topic feeds</title>\n  </head>\n  <body>\n${outlines}\n  </body>\n</opml>\n`;
    return reply.type('text/x-opml; charset=utf-8').send(body);
  });
}
