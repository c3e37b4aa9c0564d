// Repairs the breakage that real feeds commonly ship before the XML is read: junk before the root
// element (PHP warnings, stray whitespace, a second BOM), HTML entities that XML does not define
// (&nbsp; &eacute; …), and bare ampersands in text and URLs. Each repair is reported as a warning:
// the feed is still read, but its publisher has a bug.
import { decodeHTML } from 'entities';

export interface PreparedXml {
  xml: string;
  warnings: string[];
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// Sections whose content must not be touched: CDATA (entities are literal there), comments, PIs.
const OPAQUE = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|<\?[\s\S]*?(?:\?>|$)/g;
const AMPERSAND = /&(#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9._-]*;)?/g;
const ROOT = /<(?:\?xml[\s?]|rss[\s>]|feed[\s>]|(?:[\w-]+:)?RDF[\s>]|channel[\s>])/i;
const DECLARED_ENTITY = /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(["'])([^"']*)\2\s*>/g;

/** Text before the root element that is more than whitespace and a prolog is cut off. */
function stripLeadingJunk(text: string, warnings: string[]): string {
  const trimmed = text.replace(/^[\s\uFEFF\u200B]+/, '');
  if (trimmed.startsWith('<?xml') || /^<(?:!--|!DOCTYPE|[A-Za-z])/.test(trimmed)) {
    // Starts like XML; leading markup junk (`<br /><b>Warning</b>…<?xml`) is still possible.
    const decl = trimmed.indexOf('<?xml');
    if (decl > 0 && !/^<(?:rss|feed|rdf|channel)/i.test(trimmed)) {
      warnings.push('junk before the XML declaration was ignored');
      return trimmed.slice(decl);
    }
    return trimmed;
  }
  const match = ROOT.exec(trimmed);
  if (!match) return trimmed;
  if (trimmed.slice(0, match.index).trim() !== '') warnings.push('junk before the root element was ignored');
  return trimmed.slice(match.index);
}

function declaredEntities(xml: string): Map<string, string> {
  const found = new Map<string, string>();
  const doctype = /<!DOCTYPE[^[>]*\[([\s\S]*?)\]\s*>/i.exec(xml.slice(0, 20_000));
  if (!doctype?.[1]) return found;
  for (const m of doctype[1].matchAll(DECLARED_ENTITY)) found.set(m[1]!, m[3]!);
  return found;
}

// Character references to 128–159 are C1 controls in Unicode, but every feed that writes &#146;
// means Windows-1252's ’ (browsers read them that way too).
const CP1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function windows1252Reference(reference: string): string | null {
  const code = reference[1] === 'x' || reference[1] === 'X' ? parseInt(reference.slice(2, -1), 16) : parseInt(reference.slice(1, -1), 10);
  if (code < 0x80 || code > 0x9f) return null;
  return `&#${CP1252_C1[code - 0x80]};`;
}

function escapeForXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function prepareXml(text: string): PreparedXml {
  const warnings: string[] = [];
  const xml = stripLeadingJunk(text, warnings);
  const declared = declaredEntities(xml);
  let undefinedEntities = 0;
  let bareAmpersands = 0;

  const fixEntities = (segment: string): string =>
    segment.replace(AMPERSAND, (whole, reference: string | undefined) => {
      if (!reference) {
        bareAmpersands += 1;
        return '&amp;';
      }
      if (reference.startsWith('#')) return windows1252Reference(reference) ?? whole;
      const name = reference.slice(0, -1);
      if (XML_ENTITIES.has(name)) return whole;
      const own = declared.get(name);
      if (own !== undefined) return escapeForXml(decodeHTML(own));
      const decoded = decodeHTML(whole);
      undefinedEntities += 1;
      if (decoded === whole) return `&amp;${reference}`;
      return [...decoded].map((ch) => `&#${ch.codePointAt(0)};`).join('');
    });

  let out = '';
  let last = 0;
  for (const m of xml.matchAll(OPAQUE)) {
    out += fixEntities(xml.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  out += fixEntities(xml.slice(last));

  if (undefinedEntities > 0) warnings.push(`${undefinedEntities} undeclared entity reference(s) read as HTML entities`);
  if (bareAmpersands > 0) warnings.push(`${bareAmpersands} unescaped ampersand(s) read as text`);
  return { xml: out, warnings };
}
