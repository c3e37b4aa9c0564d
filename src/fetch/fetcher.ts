// HTTP(S) GET for feeds. Built on node:http rather than fetch() because we need the socket-level
// lookup hook for the SSRF guard, manual redirects (to re-check every hop and to learn about
// permanent moves) and a byte cap that also applies after decompression.
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { assertPublicLiteral, BlockedAddressError, guardedLookup } from './address-guard.js';

export type FetchErrorKind =
  | 'invalid_url'
  | 'blocked_address'
  | 'dns'
  | 'connect'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'redirect_loop'
  | 'http_status'
  | 'network';

/** What the server said about when to come back; the poller turns these into the next poll time. */
export interface SchedulingHints {
  /** Retry-After (seconds from now), sent with 429/503 and sometimes 3xx/200. */
  retryAfterSeconds: number | null;
  /** Cache-Control max-age (seconds). */
  maxAgeSeconds: number | null;
}

export function schedulingHints(headers: Record<string, string>, now: number = Date.now()): SchedulingHints {
  let retryAfterSeconds: number | null = null;
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) retryAfterSeconds = Number(retryAfter);
    else {
      const at = Date.parse(retryAfter);
      if (Number.isFinite(at)) retryAfterSeconds = Math.max(0, Math.round((at - now) / 1000));
    }
  }
  const maxAge = /(?:^|,)\s*(?:s-)?max-age\s*=\s*"?(\d+)/i.exec(headers['cache-control'] ?? '');
  return { retryAfterSeconds, maxAgeSeconds: maxAge?.[1] ? Number(maxAge[1]) : null };
}

export class FetchError extends Error {
  override readonly name = 'FetchError';
  readonly hints: SchedulingHints;
  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.hints = schedulingHints(headers);
  }
}

export interface FetchOptions {
  userAgent: string;
  allowPrivateNetworks: boolean;
  /** Whole request, redirects included. */
  timeoutMs?: number;
  /** Until the TCP (and TLS) connection is up, per hop. */
  connectTimeoutMs?: number;
  /** Cap on the (decompressed) body. */
  maxBytes?: number;
  maxRedirects?: number;
  etag?: string | null;
  lastModified?: string | null;
  signal?: AbortSignal;
}

export interface FetchResult {
  /** 200, or 304 when the conditional request says nothing changed. */
  status: number;
  /** The URL the body came from, after redirects. */
  url: string;
  /** Set when every redirect on the way was permanent (301/308): the source should move there. */
  permanentUrl: string | null;
  headers: Record<string, string>;
  body: Buffer;
  hints: SchedulingHints;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

export async function fetchFeed(url: string, options: FetchOptions): Promise<FetchResult> {
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const maxRedirects = options.maxRedirects ?? 5;
  const seen = new Set<string>();
  let current = parseUrl(url);
  let allPermanent = true;

  for (let hop = 0; ; hop++) {
    seen.add(current.href);
    const response = await request(current, options, signal);
    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && response.status !== 304 && location) {
      response.stream.destroy();
      if (hop >= maxRedirects) throw new FetchError('too_many_redirects', `more than ${maxRedirects} redirects`);
      const next = parseUrl(location, current);
      if (seen.has(next.href)) throw new FetchError('redirect_loop', `redirect loop at ${next.href}`);
      allPermanent &&= response.status === 301 || response.status === 308;
      current = next;
      continue;
    }
    if (response.status === 304) {
      response.stream.destroy();
      return {
        status: 304,
        url: current.href,
        permanentUrl: null,
        headers: response.headers,
        body: Buffer.alloc(0),
        hints: schedulingHints(response.headers),
      };
    }
    if (response.status < 200 || response.status >= 300) {
      response.stream.destroy();
      throw new FetchError('http_status', `HTTP ${response.status}`, response.status, response.headers);
    }
    const body = await readBody(response.stream, response.headers, options.maxBytes ?? DEFAULT_MAX_BYTES, signal);
    return {
      status: response.status,
      url: current.href,
      permanentUrl: hop > 0 && allPermanent ? current.href : null,
      headers: response.headers,
      body,
      hints: schedulingHints(response.headers),
    };
  }
}

function parseUrl(value: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    throw new FetchError('invalid_url', `not a valid URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('invalid_url', `only http and https URLs can be fetched, not ${url.protocol}`);
  }
  url.hash = '';
  return url;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  stream: http.IncomingMessage;
}

function request(url: URL, options: FetchOptions, signal: AbortSignal): Promise<RawResponse> {
  if (!options.allowPrivateNetworks) {
    try {
      assertPublicLiteral(url.hostname);
    } catch (error) {
      return Promise.reject(new FetchError('blocked_address', (error as Error).message));
    }
  }
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  const client = url.protocol === 'https:' ? https : http;

  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: 'GET',
      headers,
      signal,
      ...(options.allowPrivateNetworks ? {} : { lookup: guardedLookup }),
    });
    req.on('response', (res) => {
      const flat: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      resolve({ status: res.statusCode ?? 0, headers: flat, stream: res });
    });
    req.on('error', (error) => reject(classify(error, url, signal)));
    // A server that never completes the handshake should fail fast, not use up the whole budget.
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(
        () => req.destroy(new FetchError('timeout', `no connection to ${url.host} within ${connectTimeoutMs} ms`)),
        connectTimeoutMs,
      );
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    req.end();
  });
}

function classify(error: unknown, url: URL, signal: AbortSignal): FetchError {
  if (error instanceof FetchError) return error;
  if (signal.aborted) {
    const reason = signal.reason as Error | undefined;
    return new FetchError('timeout', reason?.name === 'TimeoutError' ? `timed out fetching ${url.host}` : 'fetch aborted');
  }
  if (error instanceof BlockedAddressError) return new FetchError('blocked_address', error.message);
  const code = (error as NodeJS.ErrnoException).code;
  const message = (error as Error).message;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new FetchError('dns', `cannot resolve ${url.hostname}`);
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new FetchError('connect', `cannot connect to ${url.host}: ${code}`);
  }
  return new FetchError('network', `${url.host}: ${message}`);
}

function decoder(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

async function readBody(
  raw: http.IncomingMessage,
  headers: Record<string, string>,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Buffer> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    raw.destroy();
    throw new FetchError('too_large', `response is ${declared} bytes, over the ${maxBytes}-byte limit`);
  }
  const inflate = decoder(headers['content-encoding']);
  const stream: Readable = inflate ? raw.pipe(inflate) : raw;
  if (inflate) raw.on('error', (error) => inflate.destroy(error));
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      // Counting decompressed bytes stops compression bombs as well as endless bodies.
      if (total > maxBytes) throw new FetchError('too_large', `response exceeds the ${maxBytes}-byte limit`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    raw.destroy();
    if (error instanceof FetchError) throw error;
    if (signal.aborted) throw new FetchError('timeout', 'timed out reading the response');
    throw new FetchError('network', `reading the response failed: ${(error as Error).message}`);
  }
  return Buffer.concat(chunks);
}
