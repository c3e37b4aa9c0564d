// Setting long character data aside while a UTF-8 document is decoded (see set-aside.ts). A
// full-text feed of several megabytes decoded into one string cost four to six times what decoding
// the same bytes in pieces of a few kilobytes does (a large two-byte string is allocated outside
// V8's young generation and written cold), and the pieces are what the parser wants anyway.
//
// The scanner follows the tokenizer's view of the document: comments and processing instructions
// are skipped, CDATA sections are set aside whole, and the text between two plain tags is set
// aside when every '&' in it is one of the five XML entities or a decimal reference outside the C1
// range — text that prepareXml's entity repair would leave as it is. From the first declaration
// (a DOCTYPE may define entities) or stray '<' on, only CDATA is set aside. Every delimiter looked
// for is ASCII, which in UTF-8 never occurs inside a multi-byte sequence, so each piece decodes
// exactly as it would inside the whole.
import { decodeXML } from 'entities';
import { SET_ASIDE_MIN_LENGTH, placeholder } from './set-aside.js';

export type Utf8Decoder = (bytes: Uint8Array) => { text: string; invalid: number };

export interface SetAsideDocument {
  /** The document with a placeholder for each set-aside stretch. */
  text: string;
  /** Bytes the decoder could not read as UTF-8. */
  invalid: number;
  /** The stretches' text in document order: CDATA contents as written, text with its references decoded. */
  sections: string[];
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const CDATA_OPEN = Buffer.from('<![CDATA[');
const CDATA_CLOSE = Buffer.from(']]>');
const COMMENT_OPEN = Buffer.from('<!--');
const COMMENT_CLOSE = Buffer.from('-->');
const PI_CLOSE = Buffer.from('?>');

const isLetter = (c: number | undefined) => c !== undefined && ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a));
const startsTag = (c: number | undefined) => isLetter(c) || c === 0x2f;
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function startsWith(b: Buffer, at: number, prefix: Buffer): boolean {
  return at + prefix.length <= b.length && b.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0;
}

/** The index of the '>' that ends the tag at b[lt] === '<' (quoted values may hold '>'), or -1. */
function tagEnd(b: Buffer, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < b.length; i++) {
    const c = b[i]!;
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === GT) {
      return i;
    } else if (c === LT) {
      return -1;
    }
  }
  return -1;
}

/** Whether b[amp] === '&' begins one of the five XML entities (by their bytes: l t ;, g t ;, a m p ;, …). */
function isXmlEntity(b: Buffer, amp: number): boolean {
  switch (b[amp + 1]) {
    case 0x6c: // lt;
    case 0x67: // gt;
      return b[amp + 2] === 0x74 && b[amp + 3] === 0x3b;
    case 0x61: // amp; apos;
      return (b[amp + 2] === 0x6d && b[amp + 3] === 0x70 && b[amp + 4] === 0x3b) || (b[amp + 2] === 0x70 && b[amp + 3] === 0x6f && b[amp + 4] === 0x73 && b[amp + 5] === 0x3b);
    case 0x71: // quot;
      return b[amp + 2] === 0x75 && b[amp + 3] === 0x6f && b[amp + 4] === 0x74 && b[amp + 5] === 0x3b;
    default:
      return false;
  }
}

/** Whether b[from, to) is text the entity repair would not change, and not white space alone. */
function isPlainText(b: Buffer, from: number, to: number): boolean {
  let visible = false;
  for (let i = from; i < to && !visible; i++) visible = !isSpace(b[i]!);
  if (!visible) return false;
  for (let amp = b.indexOf(AMP, from); amp >= 0 && amp < to; amp = b.indexOf(AMP, amp + 1)) {
    if (isXmlEntity(b, amp)) continue;
    if (b[amp + 1] !== 0x23) return false;
    let code = 0;
    let i = amp + 2;
    while (i < to && i < amp + 9 && b[i]! >= 0x30 && b[i]! <= 0x39) code = code * 10 + b[i++]! - 0x30;
    if (i === amp + 2 || b[i] !== 0x3b || (code >= 0x80 && code <= 0x9f)) return false;
  }
  return true;
}

export function setAsideUtf8(bytes: Uint8Array, decode: Utf8Decoder): SetAsideDocument {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  const sections: string[] = [];
  let invalid = 0;
  let copied = 0;
  let textToo = true;
  const setAside = (from: number, to: number, text: boolean) => {
    const before = decode(b.subarray(copied, from));
    const contents = decode(b.subarray(from, to));
    parts.push(before.text, placeholder(sections.length));
    sections.push(text && contents.text.includes('&') ? decodeXML(contents.text) : contents.text);
    invalid += before.invalid + contents.invalid;
    copied = to;
  };
  for (let lt = b.indexOf(LT); lt >= 0; ) {
    if (startsWith(b, lt, CDATA_OPEN)) {
      const start = lt + CDATA_OPEN.length;
      const close = b.indexOf(CDATA_CLOSE, start);
      if (close < 0) break;
      if (close - start >= SET_ASIDE_MIN_LENGTH) setAside(start, close, false);
      lt = b.indexOf(LT, close + CDATA_CLOSE.length);
      continue;
    }
    const skipTo = startsWith(b, lt, COMMENT_OPEN) ? COMMENT_CLOSE : b[lt + 1] === 0x3f ? PI_CLOSE : null;
    if (skipTo) {
      const end = b.indexOf(skipTo, lt + 2);
      if (end < 0) break;
      lt = b.indexOf(LT, end + skipTo.length);
      continue;
    }
    const gt = textToo && startsTag(b[lt + 1]) ? tagEnd(b, lt) : -1;
    if (gt < 0) {
      textToo = false;
      lt = b.indexOf(LT, lt + 1);
      continue;
    }
    const next = b.indexOf(LT, gt + 1);
    if (next < 0) break;
    if (next - gt - 1 >= SET_ASIDE_MIN_LENGTH && startsTag(b[next + 1]) && isPlainText(b, gt + 1, next)) setAside(gt + 1, next, true);
    lt = next;
  }
  const rest = decode(b.subarray(copied));
  parts.push(rest.text);
  return { text: parts.join(''), invalid: invalid + rest.invalid, sections };
}
