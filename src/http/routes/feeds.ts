// Published feeds: /feeds/{topic}.rss|.atom|.json (one entry per matching story, newest activity
// first) and /clusters/{id}.rss|.atom|.json (the articles of one story, as a story feed of one).
//
// Rendered bytes are cached per (feed, format) together with a fingerprint of what they show (the
// stories' ids, sizes and last changes). Each request asks the database for the fingerprint only —
// one small query — and renders again only when it changed. ETag is a hash of the bytes (strong),
// Last-Modified the latest story change; conditional requests get 304.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { CONTENT_TYPES, renderStoryFeed, storyUpdated, type FeedFormat } from '../../publish/story-feed.js';
import * as stories from '../../stories/stories.js';
import * as topics from '../../topics/topics.js';
import { sendError } from '../errors.js';

const FEED_FILE = /^([a-z0-9-]{1,64})\.(rss|atom|json)$/;
const STORY_FILE = /^(\d{1,18})\.(rss|atom|json)$/;
/** Stories per topic feed. */
const FEED_SIZE = 50;
/** Readers may reuse a feed this long without asking again. */
const MAX_AGE_SECONDS = 60;

interface Rendered {
  fingerprint: string;
  body: string;
  etag: string;
  lastModified: Date;
}

export interface FeedRouteOptions {
  db: Kysely<Database>;
  publicUrl: string;
  hub?: string | null;
}

function fingerprintOf(list: stories.ClusterJson[]): string {
  return list.map((s) => `${s.id}:${s.itemCount}:${s.updatedAt}:${s.label ?? ''}`).join('|');
}

function send(request: FastifyRequest, reply: FastifyReply, format: FeedFormat, rendered: Rendered) {
  reply.header('etag', rendered.etag).header('last-modified', rendered.lastModified.toUTCString()).header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`);
  const noneMatch = request.headers['if-none-match'];
  const modifiedSince = request.headers['if-modified-since'];
  const fresh = noneMatch
    ? noneMatch.split(',').some((tag) => tag.trim() === rendered.etag || tag.trim() === '*')
    : modifiedSince
      ? Math.floor(rendered.lastModified.getTime() / 1000) <= Math.floor(Date.parse(modifiedSince) / 1000)
      : false;
  if (fresh) return reply.status(304).send();
  return reply.type(CONTENT_TYPES[format]).send(rendered.body);
}

export function feedRoutes(app: FastifyInstance, options: FeedRouteOptions): void {
  const { db } = options;
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const cache = new Map<string, Rendered>();

  const respond = (key: string, format: FeedFormat, list: stories.ClusterJson[], head: Parameters<typeof renderStoryFeed>[1]) => {
    const fingerprint = fingerprintOf(list);
    let rendered = cache.get(key);
    if (!rendered || rendered.fingerprint !== fingerprint) {
      const body = renderStoryFeed(format, head, list);
      const lastModified = list.length > 0 ? new Date(Math.max(...list.map((s) => storyUpdated(s).getTime()))) : new Date(0);
      rendered = { fingerprint, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`, lastModified };
      cache.set(key, rendered);
    }
    return rendered;
  };

  app.get('/feeds/:file', async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const match = FEED_FILE.exec(request.params.file);
    if (!match) return sendError(reply, 404, 'not_found', 'feeds are /feeds/{topic}.rss, .atom or .json');
    const [, slug, format] = match as unknown as [string, string, FeedFormat];
    const { topic, query } = await topics.resolveTopic(db, slug);
    const page = await stories.listClusters(db, { topic: query, limit: FEED_SIZE });
    const rendered = respond(`topic:${slug}:${format}`, format, page.rows, {
      selfBase: `${publicUrl}/feeds/${slug}`,
      title: topic ? topic.title : 'All stories',
      description: topic?.description ?? (topic ? `Stories matching ${topic.query}` : 'Every story, newest activity first'),
      link: `${publicUrl}/`,
      publicUrl,
      hub: options.hub ?? null,
    });
    return send(request, reply, format, rendered);
  });

  app.get('/clusters/:file', async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const match = STORY_FILE.exec(request.params.file);
    if (!match) return sendError(reply, 404, 'not_found', 'story feeds are /clusters/{id}.rss, .atom or .json');
    const [, id, format] = match as unknown as [string, string, FeedFormat];
    const found = await stories.getCluster(db, id);
    if (found.kind === 'merged') return reply.redirect(`/clusters/${found.into}.${format}`, 308);
    if (found.kind === 'missing') return sendError(reply, 404, 'not_found', `no story with id ${id}`);
    const story = found.cluster;
    // A story's own feed lists its articles: each article as a story of one.
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
    const rendered = respond(`story:${id}:${format}`, format, entries, {
      selfBase: `${publicUrl}/clusters/${id}`,
      title: story.label ?? `Story ${id}`,
      description: `${story.itemCount} articles from ${story.sourceCount} sources`,
      link: `${publicUrl}/clusters/${id}`,
      publicUrl,
      hub: options.hub ?? null,
    });
    return send(request, reply, format, rendered);
  });

  app.get('/opml', async (_request, reply) => {
    const list = [{ slug: 'all', title: 'All stories' }, ...(await topics.listTopics(db))];
    const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
    const outlines = list
      .map((t) => `    <outline type="rss" text="${escape(t.title)}" title="${escape(t.title)}" xmlUrl="${escape(`${publicUrl}/feeds/${t.slug}.rss`)}" htmlUrl="${escape(`${publicUrl}/`)}"/>`)
      .join('\n');
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head>\n    <title>feedloom topic feeds</title>\n  </head>\n  <body>\n${outlines}\n  </body>\n</opml>\n`;
    return reply.type('text/x-opml; charset=utf-8').send(body);
  });
}
