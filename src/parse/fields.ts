// Field readers shared by the format adapters: people, dates, links, enclosures and ids.
import { createHash } from 'node:crypto';
import { parseFeedDate } from './dates.js';
import type { Enclosure } from './model.js';
import { resolveUrl } from './sanitize.js';

export interface Person {
  name: string | null;
  email: string | null;
}

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

/**
 * RSS puts people in one string: "jo@example.com (Jo Writer)", "Jo Writer <jo@example.com>",
 * "Jo Writer" or just an address.
 */
export function parsePersonString(value: string): Person | null {
  const text = value.replace(/\s+/g, ' ').trim();
  if (!text) return null;
  const email = EMAIL.exec(text)?.[0] ?? null;
  if (!email) return { name: text, email: null };
  const rest = text
    .replace(email, '')
    .replace(/mailto:/i, '')
    .replace(/\(\s*\)|<\s*>|\[\s*\]/g, '')
    .replace(/^[\s(<[]+|[\s)>\]]+$/g, '')
    .trim();
  return { name: rest || null, email };
}

/** Names joined with ", "; a person without a name is shown by e-mail (docs/interface.md). */
export function formatPeople(people: Array<Person | null>): string | null {
  const shown = people.map((p) => p?.name ?? p?.email ?? null).filter((s): s is string => Boolean(s));
  const unique = [...new Set(shown)];
  return unique.length > 0 ? unique.join(', ') : null;
}

export function firstEmail(people: Array<Person | null>): string | null {
  return people.find((p) => p?.email)?.email ?? null;
}

/** An ISO 8601 UTC date, or null; an unreadable non-empty date adds a warning. */
export function readDate(value: string | null | undefined, what: string, warnings: string[]): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const date = parseFeedDate(value);
  if (!date) {
    warnings.push(`${what}: unreadable date ${JSON.stringify(value.trim().slice(0, 80))} ignored`);
    return null;
  }
  return date.toISOString();
}

export function absoluteUrl(value: string | null | undefined, base: string | null): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (!trimmed) return null;
  return resolveUrl(trimmed, base);
}

export function readEnclosure(url: string | null, type: string | null, length: string | null, base: string | null): Enclosure | null {
  const absolute = absoluteUrl(url, base);
  if (!absolute) return null;
  const bytes = length !== null && /^\s*\d+\s*$/.test(length) ? Number(length) : null;
  return { url: absolute, type: type?.trim() || null, length: bytes !== null && Number.isSafeInteger(bytes) ? bytes : null };
}

export function uniqueEnclosures(list: Array<Enclosure | null>): Enclosure[] {
  const seen = new Set<string>();
  const out: Enclosure[] = [];
  for (const e of list) {
    if (e && !seen.has(e.url)) {
      seen.add(e.url);
      out.push(e);
    }
  }
  return out;
}

export function uniqueStrings(list: Array<string | null | undefined>): string[] {
  return [...new Set(list.map((s) => s?.replace(/\s+/g, ' ').trim()).filter((s): s is string => Boolean(s)))];
}

/**
 * An id for an item that publishes none: its link, else a hash of what identifies it. Stable
 * across polls, so the same item is recognized again.
 */
export function deriveId(link: string | null, title: string | null, summary: string | null, published: string | null): string {
  if (link) return link;
  const digest = createHash('sha256').update(`${title ?? ''}\u0000${summary ?? ''}\u0000${published ?? ''}`).digest('hex');
  return `urn:feedloom:sha256:${digest.slice(0, 32)}`;
}
