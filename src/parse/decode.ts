// Bytes → text for feed documents.
//
// Evidence order is the one browsers and Python feedparser use: byte order mark, HTTP charset
// parameter, the document's own declaration (XML declaration; JSON is UTF-8/16/32 by RFC 8259 /
// RFC 4627), then detection. A label is trusted whenever it decodes the bytes cleanly: feeds are
// usually labelled right and statistics on a short sample are less reliable than a label. We move
// on only when a label is unknown, impossible for the bytes (a UTF-16 label on ASCII-compatible
// bytes or the reverse), or produces decoding errors.
import { isAscii, isUtf8 } from 'node:buffer';
import { analyse } from 'chardet';
import { setAsideUtf8 } from './xml/set-aside-bytes.js';
import { SECTION_MARK } from './xml/set-aside.js';

export interface DecodedText {
  /** The document text, never starting with a byte order mark. */
  text: string;
  /** WHATWG name of the encoding used ('utf-32le'/'utf-32be' are outside WHATWG's list). */
  charset: string;
  /** Human-readable notes on missing, wrong or conflicting charset evidence. */
  warnings: string[];
  /**
   * With `setAside`, the long stretches of character data that `text` holds only placeholders
   * for, in document order (see xml/set-aside-bytes.ts). Empty when none were set aside.
   */
  sections?: string[];
}

export interface DecodeOptions {
  /**
   * For an XML document in UTF-8, decode each long CDATA section and text stretch on its own and
   * leave a placeholder in the text (xml/set-aside-bytes.ts).
   */
  setAside?: boolean;
}

/** Sniffing and detection look at this much; decoding always covers the whole document. */
const SAMPLE_BYTES = 64 * 1024;

const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

// WHATWG index-windows-1252 for bytes 0x80-0x9F (the rest is ISO-8859-1). We need our own
// decoder: Node ≥ 20.18.3 and ≥ 22.13 decode 'windows-1252' (and so 'latin1', 'us-ascii',
// 'iso-8859-1', which WHATWG maps to it) as plain ISO-8859-1, turning “ ” ’ € into C1 controls
// (nodejs/node#56542, #60888). The five bytes cp1252 leaves undefined stay C1 controls, as in WHATWG.
const CP1252_C1 =
  '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f' +
  '\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';
const C1_CONTROL = /[\x80-\x9f]/;

function c1ToCp1252(text: string): string {
  return C1_CONTROL.test(text) ? text.replace(/[\x80-\x9f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]!) : text;
}

function decodeWindows1252(bytes: Uint8Array): string {
  return c1ToCp1252(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
}

/** Length of the well-formed UTF-8 sequence at i (Unicode table 3-7), 0 if there is none. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  if (i + 1 >= b.length) return 0;
  const c1 = b[i + 1]!;
  if (c < 0xc2) return 0;
  if (c < 0xe0) return (c1 & 0xc0) === 0x80 ? 2 : 0;
  // E0, ED, F0 and F4 restrict the second byte: no overlong forms, surrogates or > U+10FFFF.
  const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
  const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
  if (c1 < lo || c1 > hi || c > 0xf4 || i + 2 >= b.length || (b[i + 2]! & 0xc0) !== 0x80) return 0;
  if (c < 0xf0) return 3;
  return i + 3 < b.length && (b[i + 3]! & 0xc0) === 0x80 ? 4 : 0;
}

/** Counts well-formed multi-byte sequences and bytes that start no well-formed sequence. */
function utf8Stats(b: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < b.length; ) {
    const n = utf8SequenceLength(b, i);
    if (n > 1) valid++;
    else if (n === 0 && i < b.length - 3) invalid++; // a sequence cut by the sample end is not an error
    i += n || 1;
  }
  return { valid, invalid };
}

/**
 * UTF-8 where each byte that starts no well-formed sequence is read as windows-1252. The usual
 * cause of such bytes in a UTF-8 feed is legacy text pasted into it ("Espa\xf1a", smart quotes);
 * cp1252 recovers those, and for real corruption it is no worse than U+FFFD.
 */
function decodeUtf8Lenient(b: Uint8Array): { text: string; invalid: number } {
  if (isUtf8(b)) return { text: UTF8.decode(b), invalid: 0 };
  const parts: string[] = [];
  let start = 0;
  let invalid = 0;
  for (let i = 0; i < b.length; ) {
    if (b[i]! < 0x80) {
      i++;
      continue;
    }
    const n = utf8SequenceLength(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    const ch = b[i]! >= 0xa0 ? String.fromCharCode(b[i]!) : CP1252_C1[b[i]! - 0x80]!;
    parts.push(UTF8.decode(b.subarray(start, i)), C1_CONTROL.test(ch) ? '\ufffd' : ch);
    invalid++;
    start = ++i;
  }
  parts.push(UTF8.decode(b.subarray(start)));
  return { text: parts.join(''), invalid };
}

/** UTF-32, which TextDecoder lacks. Invalid code points and a truncated tail become U+FFFD. */
function decodeUtf32(b: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: string[] = [];
  let units: number[] = [];
  for (let i = 0; i + 4 <= b.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) units.push(0xfffd);
    else if (cp >= 0x10000) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + (cp & 0x3ff));
    else units.push(cp);
    if (units.length >= 8192) {
      parts.push(String.fromCharCode(...units));
      units = [];
    }
  }
  if (b.length % 4 !== 0) units.push(0xfffd);
  parts.push(String.fromCharCode(...units));
  return parts.join('');
}

/** partial: the bytes are a sample, and a character cut at its end is not an error. */
function decodeAs(charset: string, bytes: Uint8Array, partial = false): string {
  if (charset === 'windows-1252') return decodeWindows1252(bytes);
  if (charset === 'utf-32le' || charset === 'utf-32be') return decodeUtf32(bytes, charset === 'utf-32le');
  return new TextDecoder(charset, { ignoreBOM: true }).decode(bytes, { stream: partial });
}

function sniffBom(b: Uint8Array): { charset: string; length: number } | null {
  const [b0, b1, b2, b3] = b;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { charset: 'utf-8', length: 3 };
  // UTF-32LE's BOM begins with UTF-16LE's, so it is tested first.
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return { charset: 'utf-32le', length: 4 };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return { charset: 'utf-32be', length: 4 };
  if (b0 === 0xfe && b1 === 0xff) return { charset: 'utf-16be', length: 2 };
  if (b0 === 0xff && b1 === 0xfe) return { charset: 'utf-16le', length: 2 };
  return null;
}

/**
 * UTF-16/32 without a BOM. A feed starts with '<', '{' or whitespace, all ASCII, so the NUL bytes
 * around its first code unit give the encoding away (XML 1.0 Appendix F, RFC 4627 section 3).
 */
function sniffWideEncoding(b: Uint8Array): string | null {
  const [b0, b1, b2, b3] = b;
  if (b.length >= 4 && b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0) return 'utf-32be';
  if (b.length >= 4 && b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0) return 'utf-32le';
  if (b.length >= 2 && b0 === 0 && b1 !== 0) return 'utf-16be';
  if (b.length >= 2 && b0 !== 0 && b1 === 0) return 'utf-16le';
  return null;
}

const width = (charset: string) => (charset.startsWith('utf-16') ? 16 : charset.startsWith('utf-32') ? 32 : 8);

/** WHATWG label resolution, plus UTF-32 which WHATWG dropped. null for unknown labels. */
function resolveLabel(label: string): string | null {
  const utf32 = /^(?:utf-?32|ucs-?4|iso-10646-ucs-4)(le|be)?$/i.exec(label);
  if (utf32) return `utf-32${utf32[1]?.toLowerCase() ?? 'be'}`;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null; // includes WHATWG's "replacement" labels (iso-2022-kr, hz-gb-2312, ...)
  }
}

/** Whether a label fits the encoding found from a BOM or NUL pattern ("utf-16" fits both orders). */
function labelFits(label: string, charset: string): boolean {
  const generic = /^(?:utf-?16|utf-?32|ucs-?2|ucs-?4|unicode|csunicode|iso-10646-ucs-[24])$/i.test(label);
  const resolved = resolveLabel(label);
  return resolved === charset || (generic && resolved !== null && width(resolved) === width(charset));
}

function parseContentType(value: string | null | undefined): { mediaType: string; charset: string | null } {
  const [type = '', ...params] = (value ?? '').split(';');
  let charset: string | null = null;
  for (const param of params) {
    const m = /^\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S*))\s*$/i.exec(param);
    const v = (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').trim();
    if (v) charset = v;
  }
  return { mediaType: type.trim().toLowerCase(), charset };
}

/**
 * The sample without markup, like ICU's detector input filter (chardet has none): feed markup is
 * English-looking ASCII ("channel", "description") that drowns the n-gram statistics of short
 * texts. '<' and '>' never occur inside a multi-byte character of the ASCII-compatible encodings.
 */
function stripMarkup(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  const latin1 = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  let n = 0;
  let inTag = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (inTag) {
      if (c === 0x3e) inTag = false;
    } else if (c !== 0x3c) out[n++] = c;
    else if (latin1.toString('latin1', i, i + 9) === '<![CDATA[') i += 8; // keep CDATA content
    else {
      inTag = true;
      out[n++] = 0x20; // keep word boundaries
    }
  }
  return out.subarray(0, n);
}

/**
 * When most letters are non-ASCII (Cyrillic, Greek, CJK...), only the words containing non-ASCII
 * bytes: URLs and dates left after stripping markup otherwise win chardet's Latin-1 n-gram test
 * against a short Russian text. Latin-script texts keep their ASCII words, which carry their signal.
 */
function nonAsciiWords(b: Uint8Array): Uint8Array {
  let letters = 0;
  let high = 0;
  for (const c of b) {
    if (c >= 0x80) high++;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) letters++;
  }
  if (high < 0.3 * (letters + high)) return b;
  const out = new Uint8Array(b.length + 1);
  let n = 0;
  let start = 0;
  let keep = false;
  for (let i = 0; i <= b.length; i++) {
    const c = b[i] ?? 0x20;
    if (c > 0x20) keep ||= c >= 0x80;
    else {
      if (keep) {
        out.set(b.subarray(start, i), n);
        n += i - start;
        out[n++] = 0x20;
      }
      start = i + 1;
      keep = false;
    }
  }
  return out.subarray(0, n);
}

/** Best chardet guess that is plausible for these bytes, or null. */
function detect(sample: Uint8Array): string | null {
  const text = nonAsciiWords(stripMarkup(sample));
  for (const match of analyse(isAscii(text) ? sample : text)) {
    if (match.confidence < 10) break; // sorted by confidence
    // Unicode results are settled by the caller (BOM, NUL pattern, UTF-8 validity); ISO-2022
    // is 7-bit and needs ESC sequences; mbcs/sbcs/ASCII are not encodings.
    if (/^(?:UTF|ASCII|mbcs|sbcs|ISO_2022|ISO-2022-[CK])/.test(match.name)) continue;
    if (match.name === 'ISO-2022-JP' && !sample.includes(0x1b)) continue;
    const charset = resolveLabel(match.name);
    if (charset && errorRate(charset, sample) === 0) return charset;
  }
  return null;
}

/** Share of U+FFFD among the non-ASCII characters of the sample decoded as charset; 0 = clean. */
function errorRate(charset: string, sample: Uint8Array): number {
  const text = decodeAs(charset, sample, true);
  let errors = 0;
  let nonAscii = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd) errors++;
    else if (c > 0x7f) nonAscii++;
  }
  return errors / Math.max(1, errors + nonAscii);
}

/** Whether UTF-8 bytes may encode a C1 control: a C2 lead byte followed by 80–9F. */
function hasUtf8C1(bytes: Uint8Array): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = buffer.indexOf(0xc2); at >= 0; at = buffer.indexOf(0xc2, at + 1)) {
    const next = buffer[at + 1];
    if (next !== undefined && next >= 0x80 && next <= 0x9f) return true;
  }
  return false;
}

const MARK_BYTES = Buffer.from(SECTION_MARK);

/**
 * Whether stretches can be set aside: the bytes start, after white space, with '<', and do not
 * contain the placeholder mark (see set-aside.ts).
 */
function canSetAside(bytes: Uint8Array): boolean {
  if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(MARK_BYTES)) return false;
  for (const b of bytes) {
    if (b === 0x3c) return true;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return false;
}

/** Decodes the whole document once with the chosen charset and notes any damage. */
function finish(bytes: Uint8Array, charset: string, warnings: string[], options: DecodeOptions): DecodedText {
  let text: string;
  let sections: string[] | undefined;
  if (charset === 'utf-8' && options.setAside && canSetAside(bytes)) {
    const result = setAsideUtf8(bytes, decodeUtf8Lenient);
    text = result.text;
    sections = result.sections;
    if (result.invalid > 0) warnings.push(`${result.invalid} invalid byte(s) for utf-8 decoded as windows-1252`);
  } else if (charset === 'utf-8') {
    const result = decodeUtf8Lenient(bytes);
    text = result.text;
    if (result.invalid > 0) warnings.push(`${result.invalid} invalid byte(s) for utf-8 decoded as windows-1252`);
  } else {
    text = decodeAs(charset, bytes);
    const n = charset === 'windows-1252' ? 0 : text.split('\ufffd').length - 1;
    if (n > 0) warnings.push(`${n} invalid byte sequence(s) for ${charset} replaced with U+FFFD`);
  }
  // C1 controls in Unicode text are windows-1252 bytes that went through a latin1 → UTF-8
  // conversion somewhere (feedparser repairs them the same way); XML 1.1 forbids them unescaped.
  // In UTF-8 they can only be C2 80–C2 9F, which a byte search rules out far faster than a scan
  // of the text.
  const mayHaveC1 = charset === 'utf-8' ? hasUtf8C1(bytes) : width(charset) > 8;
  if (mayHaveC1 && (C1_CONTROL.test(text) || sections?.some((section) => C1_CONTROL.test(section)))) {
    warnings.push('C1 control characters (U+0080-U+009F) read as windows-1252');
    text = c1ToCp1252(text);
    sections = sections?.map(c1ToCp1252);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return sections === undefined ? { text, charset, warnings } : { text, charset, warnings, sections };
}

type Evidence = { source: string; label: string; charset: string };

const US_ASCII = /^(?:us-ascii|ascii|ansi_x3\.4-1968|iso646-us|us|cp367|ibm367|csascii|iso-ir-6)$/i;

export function decodeFeedBytes(bytes: Uint8Array, contentType?: string | null, options: DecodeOptions = {}): DecodedText {
  const warnings: string[] = [];
  const http = parseContentType(contentType);

  // 1. A byte order mark beats everything (WHATWG "BOM sniff").
  const bom = sniffBom(bytes);
  if (bom) {
    if (http.charset && !labelFits(http.charset, bom.charset)) {
      warnings.push(`HTTP charset "${http.charset}" disagrees with the ${bom.charset} byte order mark; used ${bom.charset}`);
    }
    return finish(bytes.subarray(bom.length), bom.charset, warnings, options);
  }

  // The declaration is ASCII, so for ASCII-compatible bytes latin1 is enough to read it. It is
  // looked for past leading junk too (PHP warnings before the feed are common; the parser copes).
  const wide = sniffWideEncoding(bytes);
  const headBytes = bytes.subarray(0, 1024);
  const head = wide ? decodeAs(wide, headBytes) : Buffer.from(headBytes).toString('latin1');
  const xmlLabel = /<\?xml\s[^>]*?\bencoding\s*=\s*(["'])\s*([^"'\s]+)\s*\1/.exec(head)?.[2] ?? null;
  const isJson = /^\s*[{[]/.test(head);

  // 2-3. HTTP charset, then the XML declaration.
  const declared: Evidence[] = [];
  for (const [source, label] of [['HTTP charset', http.charset], ['XML declaration', xmlLabel]] as const) {
    if (!label) continue;
    const charset = resolveLabel(label);
    if (charset) declared.push({ source, label, charset });
    else warnings.push(`unknown ${source} "${label}" ignored`);
  }

  // UTF-16/32 without BOM: the NUL pattern is proof; a label saying otherwise is wrong.
  if (wide) {
    for (const d of declared) {
      if (!labelFits(d.label, wide)) warnings.push(`${d.source} "${d.label}" ignored: the bytes are ${wide}`);
    }
    return finish(bytes, wide, warnings, options);
  }

  // ASCII-compatible bytes cannot be UTF-16/32 (WHATWG HTML likewise reads such a meta charset as utf-8).
  const candidates = declared.filter((d) => {
    if (width(d.charset) === 8) return true;
    warnings.push(`${d.source} "${d.label}" ignored: the bytes are not UTF-${width(d.charset)}`);
    return false;
  });

  let utf8Valid: boolean | undefined;
  const validUtf8 = () => (utf8Valid ??= isUtf8(bytes));
  const ascii = isAscii(bytes);
  const sample = bytes.subarray(0, SAMPLE_BYTES);

  // A server-wide default header (Apache's AddDefaultCharset ISO-8859-1) against an XML
  // declaration of UTF-8 that the bytes confirm: legacy text that is also well-formed non-ASCII
  // UTF-8 practically does not occur, so the author's declaration is the one to believe.
  const [first, second] = candidates;
  if (first && second?.charset === 'utf-8' && first.charset !== 'utf-8' && !ascii && validUtf8()) {
    warnings.push(
      `${first.source} "${first.label}" disagrees with the ${second.source} "${second.label}"; ` +
        'used utf-8 because the bytes are well-formed UTF-8',
    );
    candidates.shift();
  }

  // No declaration: XML defaults to UTF-8 and JSON must be UTF-8 (RFC 8259 section 8.1).
  const implicit: Evidence = { source: isJson ? 'JSON default' : 'XML default', label: 'utf-8', charset: 'utf-8' };
  candidates.push(implicit);

  const decodesCleanly = (c: Evidence): boolean => {
    // ISO-2022-JP is 7-bit, so it passes as UTF-8; its escape sequences give it away.
    if (c === implicit) return validUtf8() && !(ascii && sample.includes(0x1b));
    if (c.charset === 'utf-8') return validUtf8();
    // us-ascii cannot decode any non-ASCII byte; WHATWG reads it as windows-1252, which is right
    // for stray cp1252 bytes, but not when the bytes are well-formed UTF-8.
    if (US_ASCII.test(c.label)) return ascii || !validUtf8();
    return errorRate(c.charset, sample) === 0;
  };

  const primary = candidates[0]!;
  const chosen = candidates.find(decodesCleanly);
  let charset: string;
  if (chosen) {
    charset = chosen.charset;
    for (const c of candidates.slice(0, candidates.indexOf(chosen))) {
      warnings.push(`${c.source} "${c.label}" does not fit the bytes; used ${charset} (${chosen.source})`);
    }
  } else {
    // Nothing decodes cleanly: weigh the first piece of evidence against detection.
    const detected = detect(sample);
    if (primary.charset === 'utf-8') {
      // Mostly well-formed UTF-8 with stray bytes is still UTF-8; few well-formed multi-byte
      // sequences among many errors mean a legacy encoding (CJK ones produce up to ~1 in 4 by
      // chance, Western ones next to none). Stray bytes are read as windows-1252 anyway, so
      // lenient UTF-8 beats a windows-1252 guess whenever there is any well-formed sequence.
      const { valid, invalid } = utf8Stats(sample);
      const keepUtf8 = valid > 0 && (valid >= invalid || !detected || detected === 'windows-1252');
      charset = keepUtf8 ? 'utf-8' : (detected ?? 'windows-1252');
    } else {
      // A few bad bytes do not discredit a legacy label; many mean it names the wrong encoding.
      charset = detected && errorRate(primary.charset, sample) > 0.02 ? detected : primary.charset;
    }
    if (charset !== primary.charset) {
      const how = charset === detected ? `detected ${charset}` : `used ${charset}`;
      const what = primary === implicit ? 'no charset declared' : `${primary.source} "${primary.label}" does not fit the bytes`;
      warnings.push(`${what}; ${how}`);
    }
  }
  // Lower-ranked declarations that lost without being tried.
  const winner = chosen ?? primary;
  for (const d of candidates.slice(candidates.indexOf(winner) + 1)) {
    if (d !== implicit && d.charset !== charset && winner.charset === charset) {
      warnings.push(`${d.source} "${d.label}" disagrees with ${winner.source} "${winner.label}"; used ${charset}`);
    }
  }
  if (!http.charset && http.mediaType.startsWith('text/') && !ascii) {
    warnings.push(`Content-Type ${http.mediaType} has no charset (RFC 3023 would mean us-ascii); used ${charset}`);
  }
  return finish(bytes, charset, warnings, options);
}
