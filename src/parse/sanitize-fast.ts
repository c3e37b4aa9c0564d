// A fast path for the sanitizer. Most feed HTML is plain, well-formed news markup — paragraphs,
// links, emphasis, images, lists — and sanitize-html spends ~0.15 ms per KB on it, which alone would
// cap parsing at about 1,000 items/s for full-text feeds. This path reads such markup with one
// sticky regular expression and writes it back out only if every tag and attribute is on a short,
// conservative allow-list and the tags nest exactly as written (so no HTML parser would move
// anything). At the first thing it does not know — any other element or attribute, an unquoted
// attribute, a comment, a stray '<', a tag the parser would close implicitly, a URL that is not
// plain http(s) — it gives up and the full sanitizer handles the document. It can therefore only be
// stricter than the full one, and a test keeps its output identical wherever it answers.
import { decodeHTML, decodeHTMLAttribute } from 'entities';

const words = (list: string): Set<string> => new Set(list.trim().split(/\s+/));

const TAGS = words(`a abbr b blockquote br cite code dd del div dl dt em figcaption figure h1 h2 h3 h4 h5
  h6 hr i img ins li mark ol p pre q s small span strong sub sup time u ul`);
const VOID = words('br hr img');
const ATTRIBUTES = words('alt title width height lang dir datetime class align');
const URL_ATTRIBUTES = words('href src cite');
// Opening one of these while one of the listed elements is open makes htmlparser2 close it first
// (its openImpliesClose table); such input is left to the full sanitizer.
const P = words('p');
const IMPLIES_CLOSE = new Map<string, Set<string>>([
  ...[...words('p h1 h2 h3 h4 h5 h6 blockquote div dl figcaption figure hr ol pre ul')].map((t) => [t, P] as const),
  ['li', words('li')],
  ['dd', words('dd dt')],
  ['dt', words('dd dt')],
]);

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*\s*=\s*"[^"]*")*)\s*(\/?)>/y;
const ATTRIBUTE = /\s+([a-zA-Z][a-zA-Z0-9-]*)\s*=\s*"([^"]*)"/g;
// Every '&' must begin a complete reference: then HTML's text and attribute decoding rules agree.
const LOOSE_AMPERSAND = /&(?!#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[a-zA-Z][a-zA-Z0-9]{1,31};)/;

const escapeText = (text: string) =>
  /[&<>]/.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
const escapeAttribute = (text: string) =>
  /[&"<>]/.test(text) ? text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;

function attributes(source: string, baseUrl: string | null, resolveUrl: (url: string, base: string | null) => string | null): string | null {
  let out = '';
  const seen = new Set<string>();
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(source); m; m = ATTRIBUTE.exec(source)) {
    const name = m[1]!.toLowerCase();
    const raw = m[2]!;
    // Empty values follow per-attribute rules in the full sanitizer; duplicates its first-wins rule.
    if (raw === '' || seen.has(name) || LOOSE_AMPERSAND.test(raw)) return null;
    seen.add(name);
    let value = raw.includes('&') ? decodeHTMLAttribute(raw) : raw;
    if (URL_ATTRIBUTES.has(name)) {
      const url = resolveUrl(value, baseUrl);
      if (url === null || !/^https?:\/\/[^\s"'<>]+$/i.test(url)) return null;
      value = url;
    } else if (!ATTRIBUTES.has(name)) {
      return null;
    }
    out += ` ${name}="${escapeAttribute(value)}"`;
  }
  return out;
}

/**
 * Sanitized HTML when `html` is simple, well-nested known markup; null when the full sanitizer
 * must decide. Output matches the full sanitizer's exactly for the markup it accepts.
 */
export function sanitizeSimpleHtml(
  html: string,
  baseUrl: string | null,
  resolveUrl: (url: string, baseUrl: string | null) => string | null,
): string | null {
  // Things the full sanitizer rewrites before parsing never take the fast path.
  if (/\r|\0/.test(html)) return null;
  const stack: string[] = [];
  let out = '';
  let pos = 0;
  while (pos < html.length) {
    const lt = html.indexOf('<', pos);
    const textEnd = lt < 0 ? html.length : lt;
    if (textEnd > pos) {
      const text = html.slice(pos, textEnd);
      if (text.includes('&')) {
        if (LOOSE_AMPERSAND.test(text)) return null;
        out += escapeText(decodeHTML(text));
      } else {
        out += escapeText(text);
      }
      pos = textEnd;
      if (lt < 0) break;
    }
    TAG.lastIndex = pos;
    const tag = TAG.exec(html);
    if (!tag) return null;
    pos = TAG.lastIndex;
    const [, closing, rawName, rawAttributes, selfClosing] = tag;
    const name = rawName!.toLowerCase();
    if (!TAGS.has(name)) return null;
    if (closing) {
      if (rawAttributes || selfClosing || VOID.has(name) || stack.pop() !== name) return null;
      out += `</${name}>`;
      continue;
    }
    const closes = IMPLIES_CLOSE.get(name);
    if (closes && stack.some((open) => closes.has(open))) return null;
    if (name === 'a' && stack.includes('a')) return null;
    const attrs = rawAttributes ? attributes(rawAttributes, baseUrl, resolveUrl) : '';
    if (attrs === null) return null;
    if (VOID.has(name)) {
      out += `<${name}${attrs} />`;
    } else {
      // A self-closed non-void tag (<p/>) is read as an open tag by HTML parsers.
      if (selfClosing) return null;
      stack.push(name);
      out += `<${name}${attrs}>`;
    }
  }
  return stack.length === 0 ? out.trim() : null;
}
