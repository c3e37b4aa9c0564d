// The published feeds' routes: /feeds/{topic}.{ext}, /clusters/{id}.{ext} (one extension per
// registered format, src/publish/formats) and /opml. What they answer is src/publish's; this
// parses paths and sends.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { feedResponse } from '../../publish/feed-response.js';
import type { RenderedFeed } from '../../publish/feed-cache.js';
import { extensionList, formatByExtension, type RegisteredFormat } from '../../publish/formats/index.js';
import { OPML_CONTENT_TYPE, type TopicFeeds } from '../../publish/topic-feeds.js';
import { sendError } from '../errors.js';

const TOPIC_FILE = /^([a-z0-9-]{1,64})\.([a-z0-9]+)$/;
const STORY_FILE = /^(\d{1,18})\.([a-z0-9]+)$/;

/** The name and the registered format of a feed file (nato.atom), or null. */
function parseFile(pattern: RegExp, file: string): [name: string, format: RegisteredFormat] | null {
  const match = pattern.exec(file);
  const format = match ? formatByExtension(match[2]!) : null;
  return format ? [match![1]!, format] : null;
}

function send(request: FastifyRequest, reply: FastifyReply, format: RegisteredFormat, rendered: RenderedFeed) {
  const response = feedResponse(rendered, format, request.headers);
  return reply.code(response.status).headers(response.headers).send(response.body ?? undefined);
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
  const file = parseFile(TOPIC_FILE, req.url.slice('/feeds/'.length, query < 0 ? undefined : query));
  const rendered = file && feeds.cachedTopic(file[0], file[1].extension);
  if (!file || !rendered) return false;
  const response = feedResponse(rendered, file[1], req.headers);
  res.writeHead(response.status, response.headers).end(req.method === 'GET' ? response.body ?? undefined : undefined);
  return true;
}

export function feedRoutes(app: FastifyInstance, feeds: TopicFeeds): void {
  app.get('/feeds/:file', async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const file = parseFile(TOPIC_FILE, request.params.file);
    if (!file) return sendError(reply, 404, 'not_found', `feeds are /feeds/{topic}${extensionList()}`);
    const [slug, format] = file;
    return send(request, reply, format, await feeds.topic(slug, format.extension));
  });

  app.get('/clusters/:file', async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const file = parseFile(STORY_FILE, request.params.file);
    if (!file) return sendError(reply, 404, 'not_found', `story feeds are /clusters/{id}${extensionList()}`);
    const [id, format] = file;
    const found = await feeds.story(id, format.extension);
    if (found.kind === 'merged') return reply.redirect(`/clusters/${found.into}.${format.extension}`, 308);
    if (found.kind === 'missing') return sendError(reply, 404, 'not_found', `no story with id ${id}`);
    return send(request, reply, format, found.rendered);
  });

  app.get('/opml', async (_request, reply) => reply.type(OPML_CONTENT_TYPE).send(await feeds.opml()));
}
