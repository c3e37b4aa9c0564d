// Bytes → text. Feeds declare their charset in several places that disagree in practice; the
// order (BOM, HTTP header, XML declaration, then UTF-8) is the one browsers and feedparser use.
import { TextDecoder } from 'node:util';

function bomCharset(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return null;
}

function headerCharset(contentType: string | null | undefined): string | null {
  const match = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '');
  return match?.[1] ?? null;
}

function declaredCharset(bytes: Uint8Array): string | null {
  // The declaration is ASCII by definition, so latin1 is safe for finding it.
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  const match = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  return match?.[1] ?? null;
}

function tryDecoder(label: string | null): TextDecoder | null {
  if (!label) return null;
  try {
    return new TextDecoder(label);
  } catch {
    return null;
  }
}

export interface DecodedText {
  text: string;
  charset: string;
}

export function decodeFeedBytes(bytes: Uint8Array, contentType?: string | null): DecodedText {
  const decoder =
    tryDecoder(bomCharset(bytes)) ??
    tryDecoder(headerCharset(contentType)) ??
    tryDecoder(declaredCharset(bytes)) ??
    new TextDecoder('utf-8');
  // TextDecoder strips a BOM matching its encoding.
  return { text: decoder.decode(bytes), charset: decoder.encoding };
}
