// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) onto the normalized model.
import { absoluteUrl, firstEmail, formatPeople, readDate, readEnclosure, uniqueEnclosures, uniqueStrings, type Person } from './fields.js';
import type { RawFeed, RawItem } from './raw.js';
import type { TextValue } from './text.js';

export class JsonFeedError extends Error {
  override readonly name = 'JsonFeedError';
}

type Json = Record<string, unknown>;

const str = (value: unknown): string | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};
const obj = (value: unknown): Json | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function people(doc: Json): Person[] {
  // 1.1 has `authors`; 1.0 had a single `author`.
  const raw = Array.isArray(doc.authors) ? doc.authors : doc.author ? [doc.author] : [];
  return raw.map(obj).filter((p): p is Json => p !== null).map((p) => ({ name: str(p.name), email: null }));
}

function textValue(value: unknown, kind: 'text' | 'html', base: string | null): TextValue | null {
  const s = typeof value === 'string' && value.trim() !== '' ? value : null;
  return s === null ? null : { kind, value: s, base };
}

function readItem(item: Json, base: string | null, warnings: string[], index: number): RawItem {
  const link = absoluteUrl(str(item.url), base) ?? absoluteUrl(str(item.external_url), base);
  const authors = people(item);
  return {
    id: str(item.id),
    link,
    title: textValue(item.title, 'text', base),
    published: readDate(str(item.date_published), `item ${index} date_published`, warnings),
    updated: readDate(str(item.date_modified), `item ${index} date_modified`, warnings),
    created: null,
    author: formatPeople(authors),
    authorEmail: firstEmail(authors),
    summary: textValue(item.summary, 'text', base),
    content: textValue(item.content_html, 'html', base) ?? textValue(item.content_text, 'text', base),
    enclosures: uniqueEnclosures(
      list(item.attachments)
        .map(obj)
        .map((a) => (a ? readEnclosure(str(a.url), str(a.mime_type), str(a.size_in_bytes), base) : null)),
    ),
    categories: uniqueStrings(list(item.tags).map(str)),
    comments: null,
  };
}

export function readJsonFeed(text: string, documentUrl: string | null): RawFeed {
  let doc: Json | null;
  try {
    doc = obj(JSON.parse(text));
  } catch (error) {
    throw new JsonFeedError(`invalid JSON: ${(error as Error).message}`);
  }
  const version = str(doc?.version);
  if (!doc || !version?.startsWith('https://jsonfeed.org/version/')) {
    throw new JsonFeedError('JSON document is not a JSON Feed (no jsonfeed.org version)');
  }
  const warnings: string[] = [];
  if (!Array.isArray(doc.items)) warnings.push('JSON Feed has no items array');
  const base = absoluteUrl(str(doc.feed_url), documentUrl) ?? documentUrl;
  const hub = list(doc.hubs).map(obj).find((h) => h && str(h.type)?.toLowerCase() === 'websub');
  const authors = people(doc);
  return {
    format: version.startsWith('https://jsonfeed.org/version/1.1') ? 'json1.1' : 'json1.0',
    title: textValue(doc.title, 'text', base),
    link: absoluteUrl(str(doc.home_page_url), base) ?? documentUrl,
    feedUrl: absoluteUrl(str(doc.feed_url), documentUrl) ?? documentUrl,
    description: textValue(doc.description, 'text', base),
    language: str(doc.language),
    updated: null,
    published: null,
    hub: hub ? absoluteUrl(str(hub.url), base) : null,
    author: formatPeople(authors),
    authorEmail: firstEmail(authors),
    rights: null,
    id: null,
    generator: null,
    image: absoluteUrl(str(doc.icon), base) ?? absoluteUrl(str(doc.favicon), base),
    categories: [],
    ttlMinutes: null,
    items: list(doc.items)
      .map(obj)
      .filter((i): i is Json => i !== null)
      .map((item, index) => readItem(item, base, warnings, index)),
    warnings,
  };
}
