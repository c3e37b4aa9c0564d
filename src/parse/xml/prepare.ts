// Repairs the breakage that real feeds commonly ship before the XML is read: junk before the root
// element (PHP warnings, stray whitespace, a second BOM), HTML entities that XML does not define
// (&nbsp; &eacute; …), and bare ampersands in text and URLs. Each repair is reported as a warning:
// the feed is still read, but its publisher has a bug.
import { decodeHTML } from 'entities';
import { SECTION_MARK, SET_ASIDE_MIN_LENGTH, placeholder, setAsideText } from './set-aside.js';

export interface PreparedXml {
  xml: string;
  /**
   * With `setAside`, the contents of long CDATA sections and text stretches, in document order;
   * `xml` holds placeholders for them (see set-aside.ts) and parseFeedDom puts them back.
   */
  sections: string[];
  warnings: string[];
}

export interface PrepareOptions {
  /** Set long CDATA sections and text stretches aside (see set-aside.ts). */
  setAside?: boolean;
  /**
   * The stretches already set aside while decoding (decodeFeedBytes), in document order: `text`
   * holds their placeholders, and nothing more is set aside.
   */
  setAsideAlready?: string[];
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// Sections whose content must not be touched: CDATA (entities are literal there), comments, PIs.
// Only their starts are found by a regular expression; their ends by indexOf, which is far faster
// than a lazy [\s\S]*? over kilobytes of CDATA.
const OPAQUE_START = /<(?:!\[CDATA\[|!--|\?)/g;
const OPAQUE_END: Record<string, string> = { '<![CDATA[': ']]>', '<!--': '-->', '<?': '?>' };
const AMPERSAND = /&(#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9._-]*;)?/y;
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

/** Whether text[amp] === '&' begins one of the five XML entities or a decimal reference to a non-C1 character. */
function isWellFormedXmlReference(text: string, amp: number): boolean {
  switch (text.charCodeAt(amp + 1)) {
    case 108: // l
      return text.startsWith('lt;', amp + 1);
    case 103: // g
      return text.startsWith('gt;', amp + 1);
    case 97: // a
      return text.startsWith('amp;', amp + 1) || text.startsWith('apos;', amp + 1);
    case 113: // q
      return text.startsWith('quot;', amp + 1);
    case 35: {
      // #
      let code = 0;
      let i = amp + 2;
      for (let c = text.charCodeAt(i); c >= 48 && c <= 57 && i < amp + 9; c = text.charCodeAt(++i)) code = code * 10 + c - 48;
      return i > amp + 2 && text.charCodeAt(i) === 59 && (code < 0x80 || code > 0x9f);
    }
    default:
      return false;
  }
}

function escapeForXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function prepareXml(text: string, options: PrepareOptions = {}): PreparedXml {
  const warnings: string[] = [];
  const xml = stripLeadingJunk(text, warnings);
  const declared = declaredEntities(xml);
  let undefinedEntities = 0;
  let bareAmpersands = 0;

  const fixReference = (whole: string, reference: string | undefined): string => {
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
  };
  // Escaped HTML puts thousands of &lt; &gt; &amp; in a full-text feed; those, and numeric
  // references outside the C1 range, are recognised in place and the text copied unchanged.
  const fixEntities = (segment: string): string => {
    let out = '';
    let copied = 0;
    for (let amp = segment.indexOf('&'); amp >= 0; amp = segment.indexOf('&', amp + 1)) {
      if (isWellFormedXmlReference(segment, amp)) continue;
      AMPERSAND.lastIndex = amp;
      const match = AMPERSAND.exec(segment)!;
      out += segment.slice(copied, amp) + fixReference(match[0], match[1]);
      copied = amp + match[0].length;
    }
    return copied === 0 ? segment : out + segment.slice(copied);
  };

  // A document that already contains the placeholder mark is never set aside: no placeholder
  // could then be told from the document's own text.
  const setAside = options.setAside === true && options.setAsideAlready === undefined && !xml.includes(SECTION_MARK);
  const sections: string[] = options.setAsideAlready ?? [];
  const markup = (segment: string) => (setAside ? setAsideText(fixEntities(segment), sections) : fixEntities(segment));
  let out = '';
  let last = 0;
  OPAQUE_START.lastIndex = 0;
  for (let m = OPAQUE_START.exec(xml); m; m = OPAQUE_START.exec(xml)) {
    const opener = m[0];
    const close = xml.indexOf(OPAQUE_END[opener]!, m.index + opener.length);
    // An unterminated section runs to the end of the document.
    const end = close < 0 ? xml.length : close + OPAQUE_END[opener]!.length;
    out += markup(xml.slice(last, m.index));
    const contents = opener === '<![CDATA[' && close >= 0 ? xml.slice(m.index + opener.length, close) : null;
    if (setAside && contents !== null && contents.length >= SET_ASIDE_MIN_LENGTH) {
      out += `<![CDATA[${placeholder(sections.length)}]]>`;
      sections.push(contents);
    } else {
      out += xml.slice(m.index, end);
    }
    last = end;
    OPAQUE_START.lastIndex = end;
  }
  out += markup(xml.slice(last));

  if (undefinedEntities > 0) warnings.push(`${undefinedEntities} undeclared entity reference(s) read as HTML entities`);
  if (bareAmpersands > 0) warnings.push(`${bareAmpersands} unescaped ampersand(s) read as text`);
  return { xml: out, sections, warnings };
}
