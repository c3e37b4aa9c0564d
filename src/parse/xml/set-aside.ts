// Long stretches of character data are taken out of a feed before the XML tokenizer sees it and put
// back as the DOM is built. Full-text feeds are mostly such stretches — CDATA sections, or HTML
// escaped as &lt;p&gt;… — and the tokenizer reads them a character at a time (entity decoding
// included), while finding their ends costs an indexOf. Each stretch leaves a placeholder: the
// private-use SECTION_MARK around its index. A CDATA section keeps its delimiters around the
// placeholder; a text stretch is the placeholder alone between two tags.
//
// Correctness never rests on this: the DOM builder restores placeholders only in the order they
// were made and only where the tokenizer reports exactly one, and any document in which not every
// placeholder came back is read again without them. Documents that already contain SECTION_MARK
// are never set aside, so no placeholder can be forged.
import { decodeXML } from 'entities';

/** Stretches shorter than this stay in place: the saving would not pay for the bookkeeping. */
export const SET_ASIDE_MIN_LENGTH = 256;
/** Private-use character around the index of a set-aside stretch. */
export const SECTION_MARK = '\uE000';
const MARK_CODE = 0xe000;

export function placeholder(index: number): string {
  return `${SECTION_MARK}${index}${SECTION_MARK}`;
}

/** The index a placeholder stands for, or -1 when `text` is not exactly one. */
export function placeholderIndex(text: string): number {
  if (text.charCodeAt(0) !== MARK_CODE || text.charCodeAt(text.length - 1) !== MARK_CODE || text.length < 3) return -1;
  const digits = text.slice(1, -1);
  if (!/^(?:0|[1-9][0-9]{0,8})$/.test(digits)) return -1;
  return Number(digits);
}

const NOT_SPACE = /[^ \t\r\n]/;
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * The index of the '>' that ends the tag starting at xml[lt] === '<', or -1. Quoted attribute
 * values may contain '>', so quotes are followed; the tokenizer reads a well-formed tag the same way.
 */
function tagEnd(xml: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 62) {
      return i;
    } else if (c === 60) {
      return -1;
    }
  }
  return -1;
}

/**
 * Sets aside the long text stretches between tags of a stretch of markup that holds no CDATA,
 * comment or processing instruction (prepareXml cuts those out first), appending their decoded
 * text to `sections`. Every '&' in `markup` must already begin a well-formed XML reference, which
 * prepareXml's entity repair ensures; the text is decoded as the tokenizer would (entities'
 * decodeXML is the decoder htmlparser2 uses in XML mode). At anything but plain start and end
 * tags — a declaration, a stray '<' — the rest of the stretch is left to the tokenizer.
 */
export function setAsideText(markup: string, sections: string[]): string {
  let out = '';
  let copied = 0;
  for (let lt = markup.indexOf('<'); lt >= 0; ) {
    const first = markup.charCodeAt(lt + 1);
    if (!isLetter(first) && first !== 47) break;
    const gt = tagEnd(markup, lt);
    if (gt < 0) break;
    const next = markup.indexOf('<', gt + 1);
    if (next < 0) break;
    const after = markup.charCodeAt(next + 1);
    const text = next - gt - 1 >= SET_ASIDE_MIN_LENGTH && (isLetter(after) || after === 47) ? markup.slice(gt + 1, next) : '';
    // White space alone is left in place: the DOM builder drops it between container elements.
    if (text !== '' && NOT_SPACE.test(text)) {
      out += markup.slice(copied, gt + 1) + placeholder(sections.length);
      sections.push(text.includes('&') ? decodeXML(text) : text);
      copied = next;
    }
    lt = next;
  }
  return copied === 0 ? markup : out + markup.slice(copied);
}
