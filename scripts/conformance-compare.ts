// Pure helpers for the feedparser conformance runner (scripts/conformance.ts): how a corpus case
// maps onto feedloom's NormalizedFeed, and when two values count as equal. Kept free of I/O so
// the comparison rules can be unit-tested on their own.
import { Parser } from 'htmlparser2';

/** One line of cases.jsonl (only the keys the runner reads). */
export interface ConformanceCase {
  file: string; field: string; expected: string; feature: string;
  entry_index: number | null; sub_index: number | null; description?: string; http?: HttpContext | null;
}

export interface HttpContext { url: string; headers?: Record<string, string> }

export type Level = 'exact' | 'normalized';

export type Outcome =
  | { status: 'pass'; level: Level; got: unknown }
  // textEquivalent: ours is HTML whose text equals a plain-text expectation (reported, not counted).
  | { status: 'fail'; got: unknown; note?: string; textEquivalent?: boolean }
  | { status: 'unsupported'; note: string };

/** The parser's answer, read loosely: extra fields may or may not exist yet. */
export type Loose = Record<string, unknown>;

/**
 * Keys seen anywhere in the run. An optional key such as `comments` is simply absent from items
 * that have none, so "unsupported" can only be decided over all results, not per item.
 */
export interface Support { feedKeys: Set<string>; itemKeys: Set<string> }

export function collectSupport(feeds: Iterable<Loose>): Support {
  const support: Support = { feedKeys: new Set(), itemKeys: new Set() };
  for (const feed of feeds) {
    for (const key of Object.keys(feed)) support.feedKeys.add(key);
    const items = Array.isArray(feed.items) ? feed.items : [];
    for (const item of items) if (isRecord(item)) for (const key of Object.keys(item)) support.itemKeys.add(key);
  }
  return support;
}

// ---------------------------------------------------------------------------------------------
// Request construction

/** Header lookup; the corpus spells keys inconsistently ("Content-type", "Content-Location"). */
export function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

const BASE_SCHEMES = new Set(['http:', 'https:']);

/**
 * The URL to hand the parser as the document's base.
 * - No http context: undefined. feedparser ran those tests from local files with no base URI,
 *   so relative references stay relative in its expectations (`<a href="foo">`, `href=""` in
 *   wellformed/rss/item_description_not_a_doctype.xml and sanitize/acceptable_attribute_*.xml);
 *   no expectation outside the http cases contains 127.0.0.1 or a file: URL. Passing a base
 *   (file or http://127.0.0.1:8097/tests/...) would only turn those into absolute URLs.
 * - Content-Location, resolved against the request URL, is the base when it is a safe absolute
 *   URL (feedparser's make_safe_absolute_uri: `javascript:` is ignored, see
 *   wellformed/http/headers_content_location-unsafe.xml); otherwise the request URL.
 */
export function documentUrl(http: HttpContext | null | undefined): string | undefined {
  if (!http?.url) return undefined;
  const location = headerValue(http.headers, 'content-location')?.trim();
  if (location) {
    try {
      const resolved = new URL(location, http.url);
      if (BASE_SCHEMES.has(resolved.protocol)) return resolved.href;
    } catch {
      // unparseable Content-Location: fall back to the request URL, as feedparser does
    }
  }
  return http.url;
}

export function contentTypeOf(http: HttpContext | null | undefined): string | undefined {
  return headerValue(http?.headers, 'content-type');
}

// ---------------------------------------------------------------------------------------------
// Value comparison

/** feedparser strips values; only ASCII whitespace, so a parser that loses &nbsp; still fails. */
export function trimAscii(value: string): string {
  return value.replace(/^[ \t\r\n\f]+|[ \t\r\n\f]+$/g, '');
}

/** Plain text as HTML: how our HTML fields represent feedparser's text/plain values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const VOID_ELEMENTS = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);

const escapeAttr = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** Absolute URLs compare as IRIs: `http://x/%C3%80` (WHATWG) equals `http://x/À` (feedparser). */
export function normalizeUrl(value: string): string {
  const trimmed = trimAscii(value);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return trimmed;
  let href: string;
  try { href = new URL(trimmed).href; } catch { return trimmed; }
  try { return decodeURI(href); } catch { return href; }
}

/** `TEXT-INDENT:0.5in` and `text-indent: 0.5in;` are the same declaration list. */
function normalizeStyle(value: string): string {
  return value
    .split(';')
    .map((decl) => {
      const colon = decl.indexOf(':');
      if (colon < 0) return decl.trim().toLowerCase();
      return `${decl.slice(0, colon).trim().toLowerCase()}: ${decl.slice(colon + 1).trim().replace(/\s+/g, ' ')}`;
    })
    .filter((decl) => decl !== '')
    .join('; ');
}

function normalizeAttribute(name: string, value: string): string {
  if (name === 'style') return normalizeStyle(value);
  return normalizeUrl(value.replace(/[ \t\r\n\f]+/g, ' '));
}

/**
 * A canonical serialization, so that markup differing only in spelling compares equal:
 * `<br>`/`<br />`, attribute quoting and order, entity forms (`&#38;`, `&#x26;`, `&amp;`;
 * `&#39;` vs `'`), implied end tags, whitespace runs and whitespace-only text between tags.
 */
export function normalizeHtml(html: string): string {
  const out: string[] = [];
  let text = '';
  const flush = (): void => {
    const collapsed = text.replace(/[ \t\r\n\f]+/g, ' ');
    if (collapsed.trim() !== '') out.push(escapeHtml(collapsed));
    text = '';
  };
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        flush();
        const attrs = Object.keys(attribs)
          .sort()
          .map((key) => ` ${key}="${escapeAttr(normalizeAttribute(key, attribs[key] ?? ''))}"`)
          .join('');
        out.push(`<${name}${attrs}>`);
      },
      onclosetag(name) {
        flush();
        if (!VOID_ELEMENTS.has(name)) out.push(`</${name}>`);
      },
      ontext(data) {
        text += data;
      },
      oncomment(data) {
        flush();
        out.push(`<!--${data.trim()}-->`);
      },
      onprocessinginstruction(_name, data) {
        flush();
        out.push(`<${data}>`);
      },
    },
    { decodeEntities: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return out.join('').trim();
}

/** Exact after trimming; null and '' are the same (our model uses null for "none"). */
export function compareText(expected: string, got: unknown): Level | null {
  const value = typeof got === 'string' ? got : got === null || got === undefined ? '' : String(got);
  return trimAscii(value) === trimAscii(expected) ? 'exact' : null;
}

export function compareUrl(expected: string, got: unknown): Level | null {
  if (compareText(expected, got)) return 'exact';
  return typeof got === 'string' && normalizeUrl(got) === normalizeUrl(expected) ? 'normalized' : null;
}

export function compareHtml(expected: string, got: unknown): Level | null {
  if (compareText(expected, got)) return 'exact';
  if (typeof got !== 'string') return null;
  const want = normalizeHtml(expected);
  // Normalization drops what the HTML parser cannot represent (a lone "<!DOCTYPE"): never let
  // "both normalize to nothing" hide a real difference.
  if (want === '' && trimAscii(expected) !== '') return null;
  return want === normalizeHtml(got) ? 'normalized' : null;
}

/** Whether ours (HTML) is the escaped form of a plain-text expectation (text/plain content). */
export function isTextEquivalent(expected: string, got: unknown): boolean {
  return typeof got === 'string' && normalizeHtml(escapeHtml(expected)) === normalizeHtml(got) && trimAscii(expected) !== trimAscii(got);
}

/** Same instant to the second: feedparser's time tuples drop fractional seconds. */
export function compareDate(expected: string, got: unknown): Level | null {
  if (typeof got !== 'string') return null;
  const want = Date.parse(expected);
  const have = Date.parse(got);
  if (Number.isNaN(want) || Number.isNaN(have)) return null;
  return Math.floor(want / 1000) === Math.floor(have / 1000) ? 'exact' : null;
}

/** `Name (email)` is feedparser's display form; ours shows the name only. */
export function compareAuthor(expected: string, got: unknown): Level | null {
  if (compareText(expected, got)) return 'exact';
  if (typeof got !== 'string') return null;
  const match = /^(.*\S)\s*\(([^()]*@[^()]*)\)$/.exec(trimAscii(expected));
  return match && (match[1] === trimAscii(got) || splitPeople(got)[0] === match[1]) ? 'normalized' : null;
}

/** Our author field joins names with ", ". */
export function splitPeople(joined: string): string[] {
  return joined.split(', ').map(trimAscii).filter((s) => s !== '');
}

// ---------------------------------------------------------------------------------------------
// Case evaluation

const DATE_FIELDS = new Set(['feed.updated', 'feed.published', 'entry.published', 'entry.updated', 'entry.created']);

export function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pass(level: Level | null, got: unknown, expected?: string, html = false): Outcome {
  if (level) return { status: 'pass', level, got };
  const textEquivalent = html && expected !== undefined && isTextEquivalent(expected, got);
  return textEquivalent ? { status: 'fail', got, textEquivalent } : { status: 'fail', got };
}

const unsupported = (note: string): Outcome => ({ status: 'unsupported', note });

/** The value of an optional extension key, or an "unsupported" outcome if no result has it. */
function optional(record: Loose, key: string, keys: Set<string>): { value: unknown } | Outcome {
  if (!keys.has(key)) return unsupported(`no result has "${key}"`);
  return { value: record[key] };
}

const isOutcome = (value: { value: unknown } | Outcome): value is Outcome => 'status' in value;

/** A title: plain text, plus `titleHtml` when the feed marked it up (model.ts). */
function compareTitle(expected: string, record: Loose): Outcome {
  const plain = record.title;
  const html = typeof record.titleHtml === 'string' ? record.titleHtml : undefined;
  if (compareText(expected, plain) || (html !== undefined && compareText(expected, html))) {
    return { status: 'pass', level: 'exact', got: html ?? plain };
  }
  const asHtml = html ?? (typeof plain === 'string' ? escapeHtml(plain) : null);
  // Only markup can be "the escaped form" of a text expectation; a plain title is compared as is.
  // Exact matches were taken above; any match now went through escaping or normalizing.
  return pass(compareHtml(expected, asHtml) ? 'normalized' : null, html ?? plain, expected, html !== undefined);
}

/** Person fields: a string (joined names) or an object {name, email}. */
function comparePerson(c: ConformanceCase, owner: Loose, keys: Set<string>, emailKey: string): Outcome {
  const part = c.field.endsWith('.email') ? 'email' : c.field.endsWith('.name') ? 'name' : 'display';
  const author = optional(owner, 'author', keys);
  if (isOutcome(author)) return author;
  const value = author.value;
  if (part === 'email') {
    if (isRecord(value) && 'email' in value) return pass(compareText(c.expected, value.email), value.email);
    const email = optional(owner, emailKey, keys);
    if (isOutcome(email)) return email;
    const emails = Array.isArray(email.value) ? email.value : [email.value];
    return pass(compareText(c.expected, emails[c.sub_index ?? 0]), email.value);
  }
  const display = isRecord(value) ? value.name : value;
  if (part === 'display') return pass(compareAuthor(c.expected, display), display);
  if (typeof display !== 'string') return pass(null, display);
  if (c.sub_index === null && compareText(c.expected, display)) return { status: 'pass', level: 'exact', got: display };
  return pass(compareText(c.expected, splitPeople(display)[c.sub_index ?? 0]), display);
}

function compareCategories(c: ConformanceCase, owner: Loose, keys: Set<string>): Outcome {
  const categories = optional(owner, 'categories', keys);
  if (isOutcome(categories)) return categories;
  const list = Array.isArray(categories.value) ? categories.value : [];
  const found = list.some((cat) => compareText(c.expected, isRecord(cat) ? (cat.term ?? cat.label) : cat));
  return pass(found ? 'exact' : null, categories.value);
}

function compareEnclosure(c: ConformanceCase, item: Loose): Outcome {
  const list = Array.isArray(item.enclosures) ? item.enclosures : [];
  const index = c.sub_index ?? 0;
  const enclosure = list[index];
  if (!isRecord(enclosure)) return { status: 'fail', got: null, note: `no enclosure #${index} (${list.length})` };
  const part = c.field.slice('entry.enclosure.'.length);
  const value = enclosure[part];
  if (part === 'url') return pass(compareUrl(c.expected, value), value);
  return pass(compareText(c.expected, typeof value === 'number' ? String(value) : value), value);
}

function compareFeedField(c: ConformanceCase, feed: Loose, support: Support): Outcome {
  const keys = support.feedKeys;
  const field = c.field.slice('feed.'.length);
  if (DATE_FIELDS.has(c.field)) {
    const got = optional(feed, field, keys);
    return isOutcome(got) ? got : pass(compareDate(c.expected, got.value), got.value);
  }
  switch (field) {
    case 'title':
      return compareTitle(c.expected, feed);
    case 'link':
      return pass(compareUrl(c.expected, feed.link), feed.link);
    case 'subtitle':
      return pass(compareHtml(c.expected, feed.description), feed.description, c.expected, true);
    case 'language':
      return pass(compareText(c.expected, feed.language), feed.language);
    case 'rights': {
      const got = optional(feed, 'rights', keys);
      return isOutcome(got) ? got : pass(compareHtml(c.expected, got.value), got.value, c.expected, true);
    }
    case 'id':
    case 'generator': {
      const got = optional(feed, field, keys);
      if (isOutcome(got)) return got;
      const value = isRecord(got.value) ? (got.value.name ?? got.value.value) : got.value;
      return pass(compareText(c.expected, value), got.value);
    }
    case 'image.url': {
      const got = optional(feed, 'image', keys);
      if (isOutcome(got)) return got;
      const value = isRecord(got.value) ? (got.value.url ?? got.value.href) : got.value;
      return pass(compareUrl(c.expected, value), got.value);
    }
    case 'category':
      return compareCategories(c, feed, keys);
    case 'author':
    case 'author.name':
    case 'author.email':
      return comparePerson(c, feed, keys, 'authorEmail');
    default:
      return unsupported(`no mapping for ${c.field}`);
  }
}

function compareItemField(c: ConformanceCase, item: Loose, support: Support): Outcome {
  const keys = support.itemKeys;
  const field = c.field.slice('entry.'.length);
  if (DATE_FIELDS.has(c.field)) {
    const got = optional(item, field, keys);
    return isOutcome(got) ? got : pass(compareDate(c.expected, got.value), got.value);
  }
  if (field.startsWith('enclosure.')) return compareEnclosure(c, item);
  switch (field) {
    case 'title':
      return compareTitle(c.expected, item);
    case 'link':
      return pass(compareUrl(c.expected, item.link), item.link);
    // ids are compared byte for byte: atom10/entry_id_no_normalization_* forbid normalizing them.
    case 'id':
      return pass(compareText(c.expected, item.id), item.id);
    case 'summary': {
      // feedparser's entry.summary falls back to the first content value.
      const got = typeof item.summary === 'string' && item.summary !== '' ? item.summary : item.content;
      return pass(compareHtml(c.expected, got), got, c.expected, true);
    }
    case 'content':
      // feedparser's content is a list; ours holds one value, the first.
      if ((c.sub_index ?? 0) > 0) return unsupported(`content[${c.sub_index}]: one content value per item`);
      return pass(compareHtml(c.expected, item.content), item.content, c.expected, true);
    case 'comments': {
      const got = optional(item, 'comments', keys);
      return isOutcome(got) ? got : pass(compareUrl(c.expected, got.value), got.value);
    }
    case 'category':
      return compareCategories(c, item, keys);
    case 'author':
    case 'author.name':
    case 'author.email':
      return comparePerson(c, item, keys, 'authorEmail');
    default:
      return unsupported(`no mapping for ${c.field}`);
  }
}

/** Evaluate one expectation against the parser's feed (a JSON object). */
export function evaluateCase(c: ConformanceCase, feed: Loose, support: Support): Outcome {
  if (c.field.startsWith('feed.')) return compareFeedField(c, feed, support);
  if (!c.field.startsWith('entry.')) return unsupported(`no mapping for ${c.field}`);
  const items = Array.isArray(feed.items) ? feed.items : [];
  const index = c.entry_index ?? 0;
  const item = items[index];
  if (!isRecord(item)) return { status: 'fail', got: null, note: `no item #${index} (${items.length} items)` };
  return compareItemField(c, item, support);
}
