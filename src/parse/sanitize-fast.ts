// A fast path for the sanitizer. Most feed HTML is plain, well-formed news markup — paragraphs,
// links, emphasis, images, lists — and sanitize-html spends ~0.15 ms per KB on it, which alone would
// cap parsing at about 1,000 items/s for full-text feeds. This path reads such markup with one
// sticky regular expression and writes it back out only if every tag and attribute is on a short,
// conservative allow-list and the tags nest exactly as written (so no HTML parser would move
// anything). At the first thing it does not know — any other element or attribute, an unquoted
// attribute, a comment, a stray '<', a tag the parser would close implicitly, a URL that is not
// plain http(s) — it gives up and the full sanitizer handles the document. It can therefore only be
// stricter than the full one, and tests keep its output identical wherever it answers.
//
// Most such markup is already in the form the sanitizer writes (lower-case names, double-quoted
// attributes, absolute links), so the output is built by copying unchanged stretches of the input
// and writing only the tags and text that differ; building it piece by piece cost twice as much.
import { decodeHTML, decodeHTMLAttribute } from 'entities';

const words = (list: string): string[] => list.trim().split(/\s+/);

const TAGS = words(`a abbr b blockquote br cite code dd del div dl dt em figcaption figure h1 h2 h3 h4 h5
  h6 hr i img ins li mark ol p pre q s small span strong sub sup time u ul`);
const VOID = new Set(words('br hr img'));
const ATTRIBUTES = new Set(words('alt title width height lang dir datetime class align'));
const URL_ATTRIBUTES = new Set(words('href src cite'));
// Opening one of these while one of the listed elements is open makes htmlparser2 close it first
// (its openImpliesClose table); such input is left to the full sanitizer. An <a> inside an <a> is
// refused too (parsers close the outer one).
const IMPLIES_CLOSE = new Map<string, readonly string[]>([
  ...words('p h1 h2 h3 h4 h5 h6 blockquote div dl figcaption figure hr ol pre ul').map((t) => [t, ['p']] as const),
  ['li', ['li']],
  ['dd', ['dd', 'dt']],
  ['dt', ['dd', 'dt']],
  ['a', ['a']],
]);

/** What the scanner needs to know of an allowed element, looked up once per tag. */
interface TagInfo {
  name: string;
  /** Index into the per-document counts of open elements. */
  id: number;
  isVoid: boolean;
  /** Ids of the open elements that opening this one would close implicitly. */
  closes: readonly number[];
}
const TAG_INFO = new Map<string, TagInfo>(
  TAGS.map((name, id) => [
    name,
    { name, id, isVoid: VOID.has(name), closes: (IMPLIES_CLOSE.get(name) ?? []).map((t) => TAGS.indexOf(t)) },
  ]),
);

// Every '&' must begin a complete reference: then HTML's text and attribute decoding rules agree.
const LOOSE_AMPERSAND = /&(?!#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[a-zA-Z][a-zA-Z0-9]{1,31};)/;
const PLAIN_HTTP_URL = /^https?:\/\/[^\s"'<>]+$/i;

/**
 * Escapes &, <, > (and " in attributes) the way the sanitizer's serializer does. A loop over char
 * codes: four chained regular-expression replaces cost several times as much per attribute.
 */
function escapeMarkup(text: string, quotes: boolean): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const entity = c === 38 ? '&amp;' : c === 60 ? '&lt;' : c === 62 ? '&gt;' : quotes && c === 34 ? '&quot;' : null;
    if (entity !== null) {
      out += text.slice(last, i) + entity;
      last = i + 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}
const escapeText = (text: string) => escapeMarkup(text, false);
const escapeAttribute = (text: string) => escapeMarkup(text, true);

type ResolveUrl = (url: string, baseUrl: string | null) => string | null;

const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isDigit = (c: number) => c >= 48 && c <= 57;
// Space, tab, line feed and form feed; other white space inside a tag is left to the full sanitizer.
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 12;

/** One attribute value in the sanitizer's spelling, or null when it is not simple. */
function attributeValue(name: string, raw: string, baseUrl: string | null, resolveUrl: ResolveUrl): string | null {
  // Empty values follow per-attribute rules in the full sanitizer.
  if (raw === '') return null;
  let value = raw;
  if (raw.includes('&')) {
    // Query strings escaped as &amp; are by far the most common case, and need no entity decoder.
    const unescaped = raw.replaceAll('&amp;', '&');
    if (!unescaped.includes('&')) value = unescaped;
    else if (LOOSE_AMPERSAND.test(raw)) return null;
    else value = decodeHTMLAttribute(raw);
  }
  if (URL_ATTRIBUTES.has(name)) {
    const url = resolveUrl(value, baseUrl);
    if (url === null || !PLAIN_HTTP_URL.test(url)) return null;
    value = url;
  } else if (!ATTRIBUTES.has(name)) {
    return null;
  }
  return escapeAttribute(value);
}

interface Tag {
  info: TagInfo;
  closing: boolean;
  selfClosing: boolean;
  /** The attributes in the sanitizer's spelling (' name="value"' each), '' when there are none. */
  attributes: string;
  /** Index just past the tag's '>'. */
  end: number;
  /** Whether the source already spells the tag exactly as the sanitizer writes it. */
  canonical: boolean;
}

/**
 * Reads the tag at html[pos] === '<': an allowed name, then only name="value" attributes, then
 * '>' or '/>'. A hand-written scanner rather than one regular expression because this runs for
 * every tag of every item, and the regular expression's match arrays were a third of the
 * sanitizer's time. It also notes whether the source is already in canonical spelling, so that the
 * caller need neither build nor compare the rewritten tag in the usual case.
 */
function readTag(html: string, pos: number, baseUrl: string | null, resolveUrl: ResolveUrl): Tag | null {
  let i = pos + 1;
  const closing = html.charCodeAt(i) === 47;
  if (closing) i++;
  const nameStart = i;
  if (!isLetter(html.charCodeAt(i))) return null;
  while (isLetter(html.charCodeAt(i)) || isDigit(html.charCodeAt(i))) i++;
  const rawName = html.slice(nameStart, i);
  const name = rawName.toLowerCase();
  const info = TAG_INFO.get(name);
  if (info === undefined) return null;
  let canonical = rawName === name;
  let attributes = '';
  let seen: string[] | null = null;
  for (;;) {
    const spaceStart = i;
    while (isSpace(html.charCodeAt(i))) i++;
    const c = html.charCodeAt(i);
    if (c === 62) {
      // The sanitizer writes void elements as <br />.
      canonical &&= !info.isVoid && i === spaceStart;
      return { info, closing, selfClosing: false, attributes, end: i + 1, canonical };
    }
    if (c === 47) {
      if (html.charCodeAt(i + 1) !== 62) return null;
      canonical &&= i === spaceStart + 1 && html.charCodeAt(spaceStart) === 32;
      return { info, closing, selfClosing: true, attributes, end: i + 2, canonical };
    }
    if (i === spaceStart || !isLetter(c)) return null;
    canonical &&= i === spaceStart + 1 && html.charCodeAt(spaceStart) === 32;
    const attributeStart = i;
    while (isLetter(html.charCodeAt(i)) || isDigit(html.charCodeAt(i)) || html.charCodeAt(i) === 45) i++;
    const rawAttribute = html.slice(attributeStart, i);
    const attribute = rawAttribute.toLowerCase();
    canonical &&= rawAttribute === attribute && html.charCodeAt(i) === 61 && html.charCodeAt(i + 1) === 34;
    while (isSpace(html.charCodeAt(i))) i++;
    if (html.charCodeAt(i) !== 61) return null;
    i++;
    while (isSpace(html.charCodeAt(i))) i++;
    if (html.charCodeAt(i) !== 34) return null;
    const close = html.indexOf('"', i + 1);
    if (close < 0) return null;
    // A repeated attribute follows the full sanitizer's first-wins rule there.
    seen ??= [];
    if (seen.includes(attribute)) return null;
    seen.push(attribute);
    const raw = html.slice(i + 1, close);
    const value = attributeValue(attribute, raw, baseUrl, resolveUrl);
    if (value === null) return null;
    canonical &&= value === raw;
    attributes += ` ${attribute}="${value}"`;
    i = close + 1;
  }
}

/** The first index of `char` at or after `from`, or the string's length when there is none. */
function next(html: string, char: string, from: number): number {
  const at = html.indexOf(char, from);
  return at < 0 ? html.length : at;
}

/**
 * Sanitized HTML when `html` is simple, well-nested known markup; null when the full sanitizer
 * must decide. Output matches the full sanitizer's exactly for the markup it accepts.
 */
export function sanitizeSimpleHtml(html: string, baseUrl: string | null, resolveUrl: ResolveUrl): string | null {
  // Things the full sanitizer rewrites before parsing never take the fast path.
  if (html.includes('\r') || html.includes('\0')) return null;
  const length = html.length;
  // The open elements, innermost last, and how many of each kind are open.
  const stack: number[] = [];
  const open = new Int32Array(TAGS.length);
  let out = '';
  // html[copied, pos) is already in the output's form and has not been appended yet.
  let copied = 0;
  let pos = 0;
  let ampersand = -1;
  let greater = -1;
  const replace = (from: number, to: number, text: string) => {
    out += html.slice(copied, from) + text;
    copied = to;
  };
  while (pos < length) {
    const lt = next(html, '<', pos);
    if (lt > pos) {
      if (ampersand < pos) ampersand = next(html, '&', pos);
      if (greater < pos) greater = next(html, '>', pos);
      // Text without '&' or '>' is written as it is; anything else goes through decode + escape.
      if (ampersand < lt || greater < lt) {
        const text = html.slice(pos, lt);
        let canonical = text;
        if (ampersand < lt) {
          if (LOOSE_AMPERSAND.test(text)) return null;
          canonical = escapeText(decodeHTML(text));
        } else {
          canonical = escapeText(text);
        }
        if (canonical !== text) replace(pos, lt, canonical);
      }
      pos = lt;
      if (lt === length) break;
    }
    const tag = readTag(html, pos, baseUrl, resolveUrl);
    if (!tag) return null;
    const { info, closing, selfClosing, attributes, end } = tag;
    if (closing) {
      if (attributes || selfClosing || info.isVoid || stack.pop() !== info.id) return null;
      open[info.id]! -= 1;
    } else {
      for (const id of info.closes) if (open[id]! > 0) return null;
      // A self-closed non-void tag (<p/>) is read as an open tag by HTML parsers.
      if (selfClosing && !info.isVoid) return null;
      if (!info.isVoid) {
        stack.push(info.id);
        open[info.id]! += 1;
      }
    }
    if (!tag.canonical) {
      const { name } = info;
      replace(pos, end, closing ? `</${name}>` : info.isVoid ? `<${name}${attributes} />` : `<${name}${attributes}>`);
    }
    pos = end;
  }
  if (stack.length > 0) return null;
  return (copied === 0 ? html : out + html.slice(copied)).trim();
}
