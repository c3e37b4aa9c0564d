// Bytes → normalized feed: decode, recognize the format, read it with its adapter, normalize.
// Unrecoverable problems are a FeedParseError with a kind; recoverable ones become warnings.
import { readAtom } from './atom.js';
import { decodeFeedBytes } from './decode.js';
import { readJsonFeed, JsonFeedError } from './json-feed.js';
import type { NormalizedFeed } from './model.js';
import { normalizeFeed } from './normalize.js';
import type { RawFeed } from './raw.js';
import { readRss } from './rss.js';
import { parseFeedDom } from './xml/dom.js';
import { prepareXml } from './xml/prepare.js';

export type FeedParseErrorKind = 'empty' | 'html' | 'not_a_feed' | 'invalid_json';

export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
  constructor(
    readonly kind: FeedParseErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface ParseHints {
  /** RSS <ttl> in minutes: how long the publisher says the feed may be cached. */
  ttlMinutes: number | null;
}

export interface ParsedFeed {
  feed: NormalizedFeed;
  hints: ParseHints;
}

export interface ParseInput {
  bytes: Uint8Array;
  /** The HTTP Content-Type, if known: it may carry the charset. */
  contentType?: string | null;
  /** The document's URL: relative links resolve against xml:base, then it. */
  url?: string | null;
}

/**
 * Reads an XML document. Long stretches of character data were set aside while decoding (UTF-8,
 * `sections`) or are set aside here (other encodings). `fullText` gives the document without
 * placeholders for the rare case that they cannot all be put back.
 */
function readXml(text: string, sections: string[] | undefined, url: string | null, fullText: () => string): RawFeed {
  const prepared = prepareXml(text, sections ? { setAsideAlready: sections } : { setAside: true });
  const dom = parseFeedDom(prepared.xml, url, prepared.sections, () => prepareXml(fullText()).xml);
  const root = dom.root;
  if (!root) throw new FeedParseError('not_a_feed', 'the document has no root element');
  const name = dom.local(root).toLowerCase();
  let raw: RawFeed;
  if (name === 'rss' || name === 'rdf' || name === 'channel') raw = readRss(dom, root, url);
  // A <feed> in no or an unknown namespace is still recognizably Atom.
  else if (name === 'feed') raw = readAtom(dom, root, url);
  else if (name === 'html' || name === 'body' || name === 'head') throw new FeedParseError('html', 'the document is an HTML page, not a feed');
  else throw new FeedParseError('not_a_feed', `not a feed: the root element is <${root.name}>`);
  raw.warnings.unshift(...prepared.warnings);
  return raw;
}

export function parseFeed(input: ParseInput): ParsedFeed {
  const url = input.url ?? null;
  const decoded = decodeFeedBytes(input.bytes, input.contentType ?? null, { setAside: true });
  const sections = decoded.sections;
  const text = decoded.text.replace(/^[\s\uFEFF]+/, '');
  const fullText = () => (sections?.length ? decodeFeedBytes(input.bytes, input.contentType ?? null).text : text);
  if (text === '') throw new FeedParseError('empty', 'the document is empty');
  let raw: RawFeed;
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      raw = readJsonFeed(text, url);
    } catch (error) {
      if (error instanceof JsonFeedError) throw new FeedParseError('invalid_json', error.message);
      throw error;
    }
  } else if (/^<!doctype\s+html|^<html[\s>]/i.test(text)) {
    throw new FeedParseError('html', 'the document is an HTML page, not a feed');
  } else if (text.startsWith('<') || /<(?:rss|feed|rdf:RDF)[\s>]/.test(text.slice(0, 4096))) {
    raw = readXml(text, sections, url, fullText);
  } else {
    throw new FeedParseError('not_a_feed', 'the document is neither XML nor JSON');
  }
  raw.warnings.unshift(...decoded.warnings);
  return { feed: normalizeFeed(raw), hints: { ttlMinutes: raw.ttlMinutes } };
}
