// The HTTP answer to a request for a rendered feed, independent of the server that sends it: the
// feed routes (through Fastify) and the cached-feed fast path (on the bare Node response) both send
// what this decides, so the two answer alike.
import type { RenderedFeed } from './feed-cache.js';
import type { FeedFormat } from './story-feed.js';

/** Readers may reuse a feed this long without asking again. */
const MAX_AGE_SECONDS = 60;
const CACHE_CONTROL = `public, max-age=${MAX_AGE_SECONDS}`;

export interface ConditionalHeaders {
  'if-none-match'?: string | undefined;
  'if-modified-since'?: string | undefined;
}

export interface FeedResponse {
  status: 200 | 304;
  headers: Record<string, string | number>;
  /** Null for a 304. */
  body: Buffer | null;
}

/**
 * Whether a conditional request may be answered with 304: If-None-Match first, else
 * If-Modified-Since. If-None-Match compares weakly (RFC 9110 13.1.2): a proxy that compresses the
 * feed (nginx with gzip) turns our strong ETag into W/"…", and readers send that back.
 */
function isUnchanged(headers: ConditionalHeaders, rendered: RenderedFeed): boolean {
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

/** 304 with the validators when the request's copy is current, else 200 with the bytes. */
export function feedResponse(rendered: RenderedFeed, format: FeedFormat, request: ConditionalHeaders): FeedResponse {
  // The validators and caching headers go on the 304 too (RFC 9110 15.4.5).
  const validators = { etag: rendered.etag, 'last-modified': rendered.lastModifiedHttp, 'cache-control': CACHE_CONTROL };
  if (isUnchanged(request, rendered)) return { status: 304, headers: validators, body: null };
  return {
    status: 200,
    headers: { ...validators, 'content-type': format.contentType, 'content-length': rendered.body.length },
    body: rendered.body,
  };
}
