// Reads a feed document into the fields feedloom needs about the feed itself. RSS and Atom go
// through rss-parser; JSON Feed is plain JSON.
import Parser from 'rss-parser';
import { decodeFeedBytes } from './decode.js';

export type FeedFormat = 'rss' | 'atom' | 'json';

export interface FeedSummary {
  format: FeedFormat;
  title: string | null;
  /** The site (alternate) link. */
  link: string | null;
  description: string | null;
  itemCount: number;
}

export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
}

// rss-parser defaults to RSS 1 semantics for ambiguous documents; defaultRSS 2 is what the web uses.
const parser = new Parser({ defaultRSS: 2 } as ConstructorParameters<typeof Parser>[0]);

const text = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

function absolute(value: string | null, base: string): string | null {
  if (!value) return null;
  try {
    return new URL(value, base).href;
  } catch {
    return null;
  }
}

export async function parseFeedSummary(bytes: Uint8Array, contentType: string | null, documentUrl: string): Promise<FeedSummary> {
  const { text: body } = decodeFeedBytes(bytes, contentType);
  const start = body.trimStart();
  if (start.startsWith('{')) return parseJsonFeed(start, documentUrl);
  if (!start.startsWith('<')) throw new FeedParseError('the document is neither XML nor JSON');
  if (/^(?:<!doctype\s+html|<html[\s>])/i.test(start)) {
    throw new FeedParseError('the document is an HTML page, not a feed');
  }
  let feed: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    feed = await parser.parseString(body);
  } catch (error) {
    throw new FeedParseError(`not a readable RSS or Atom feed: ${(error as Error).message.split('\n')[0]}`);
  }
  const format: FeedFormat = /<feed[\s>]/.test(start.slice(0, 2000)) ? 'atom' : 'rss';
  return {
    format,
    title: text(feed.title),
    link: absolute(text(feed.link), documentUrl),
    description: text(feed.description),
    itemCount: feed.items?.length ?? 0,
  };
}

function parseJsonFeed(body: string, documentUrl: string): FeedSummary {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(body) as Record<string, unknown>;
  } catch (error) {
    throw new FeedParseError(`invalid JSON: ${(error as Error).message}`);
  }
  if (typeof doc.version !== 'string' || !doc.version.startsWith('https://jsonfeed.org/version/')) {
    throw new FeedParseError('JSON document is not a JSON Feed (no jsonfeed.org version)');
  }
  return {
    format: 'json',
    title: text(doc.title),
    link: absolute(text(doc.home_page_url), documentUrl),
    description: text(doc.description),
    itemCount: Array.isArray(doc.items) ? doc.items.length : 0,
  };
}
