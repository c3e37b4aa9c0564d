// Text constructs: the title/summary/content values of every format, read as either plain text or
// HTML (with the base URL its relative links resolve against), then turned into what the model
// holds — plain text for titles, sanitized HTML for summaries and content.
import { parseDocument } from 'htmlparser2';
import { textContent } from 'domutils';
import type { Element } from 'domhandler';
import { NS, innerMarkup, textOf, type FeedDom } from './xml/dom.js';
import { sanitizeFeedHtml } from './sanitize.js';

export interface TextValue {
  kind: 'text' | 'html';
  value: string;
  base: string | null;
}

const HTML_HINT = /<\/?[A-Za-z][^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);/;

function decodeBase64(value: string): string {
  return Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('utf8');
}

function isXmlMime(type: string): boolean {
  return type === 'xhtml' || type === 'application/xhtml+xml' || /[/+]xml$/.test(type);
}

/** The xhtml `<div>` wrapper RFC 4287 requires is not part of the content. */
function xhtmlInner(dom: FeedDom, el: Element, unwrapDiv: boolean): string {
  const children = el.children.filter((c) => !(c.type === 'text' && textOf(c).trim() === ''));
  const only = children.length === 1 ? children[0] : undefined;
  if (unwrapDiv && only && only.type === 'tag' && dom.local(only as Element) === 'div' && dom.ns(only as Element) === NS.xhtml) {
    return innerMarkup(only as Element);
  }
  return innerMarkup(el);
}

/** An Atom 1.0 or 0.3 text construct (title, subtitle/tagline, summary, content, rights/copyright). */
export function readAtomText(dom: FeedDom, el: Element): TextValue | null {
  const base = dom.base(el);
  const type = (dom.attr(el, 'type') ?? '').trim().toLowerCase();
  const mode = (dom.attr(el, 'mode') ?? '').trim().toLowerCase();
  if (dom.attr(el, 'src') !== null && el.children.length === 0) return null; // out-of-line content
  const atom03 = dom.ns(el) === NS.atom03 || mode !== '';
  if (atom03) {
    const raw = mode === 'base64' ? decodeBase64(textOf(el)) : null;
    const html = type === 'text/html' || type === 'html' || isXmlMime(type);
    // base64 is used to ship markup past XML parsers; untyped payloads that look like HTML are HTML.
    if (raw !== null) return { kind: html || HTML_HINT.test(raw) ? 'html' : 'text', value: raw, base };
    if (mode === 'escaped') return { kind: html || type === '' ? 'html' : 'text', value: textOf(el), base };
    // Inline XML: Atom 1.0 elements carrying 0.3's mode attribute still follow 1.0's div rule.
    const unwrap = dom.ns(el) === NS.atom;
    if (isXmlMime(type) || el.children.some((c) => c.type === 'tag')) return { kind: 'html', value: xhtmlInner(dom, el, unwrap), base };
    return { kind: type === 'text/html' ? 'html' : 'text', value: textOf(el), base };
  }
  if (type === 'html' || type === 'text/html') return { kind: 'html', value: textOf(el), base };
  if (type === 'xhtml') return { kind: 'html', value: xhtmlInner(dom, el, true), base };
  if (isXmlMime(type)) return { kind: 'html', value: xhtmlInner(dom, el, false), base };
  if (type === '' || type === 'text' || type.startsWith('text/')) return { kind: 'text', value: textOf(el), base };
  // Any other media type is base64 (RFC 4287 §4.1.3.3); a payload that decodes to text is shown.
  const decoded = decodeBase64(textOf(el));
  if (decoded === '' || decoded.includes('\uFFFD') || /[\x00-\x08\x0E-\x1F]/.test(decoded)) return null;
  return { kind: HTML_HINT.test(decoded) ? 'html' : 'text', value: decoded, base };
}

/**
 * An RSS text element. Descriptions are HTML by convention; titles are meant to be plain text but
 * publishers put entities and markup in them, so `auto` treats them as HTML when they look like it.
 */
export function readRssText(dom: FeedDom, el: Element, kind: 'html' | 'auto'): TextValue {
  const base = dom.base(el);
  // Unescaped inline markup (<description><p>…</p></description>) is HTML too.
  const hasTags = el.children.some((c) => c.type === 'tag');
  const value = hasTags ? innerMarkup(el) : textOf(el);
  if (kind === 'html' || hasTags) return { kind: 'html', value, base };
  return { kind: HTML_HINT.test(value) ? 'html' : 'text', value, base };
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Sanitized HTML, or null when empty. */
export function toHtml(value: TextValue | null): string | null {
  if (!value) return null;
  const html = value.kind === 'html' ? sanitizeFeedHtml(value.value, value.base) : escapeHtml(value.value);
  return html.trim() === '' ? null : html.trim();
}

/** Plain text with markup removed and whitespace collapsed, or null when empty. */
export function toPlain(value: TextValue | null): string | null {
  if (!value) return null;
  // Sanitizing first drops <script>/<style> bodies, which are not text anyone should see.
  const text = value.kind === 'html' ? htmlToText(sanitizeFeedHtml(value.value, null)) : value.value;
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed === '' ? null : collapsed;
}

export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html;
  return textContent(parseDocument(html, { decodeEntities: true }));
}
