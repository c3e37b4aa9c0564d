// Raw adapter output → the published model. Everything that must be the same for every format
// happens here: sanitizing, plain-text titles, derived ids, author inheritance.
import { deriveId } from './fields.js';
import type { NormalizedFeed, NormalizedItem } from './model.js';
import type { RawFeed, RawItem } from './raw.js';
import { toHtml, toPlain, type TextValue } from './text.js';

function titleFields(value: TextValue | null): { title: string | null; titleHtml?: string } {
  const title = toPlain(value);
  if (value?.kind !== 'html') return { title };
  const html = toHtml(value);
  return html === null ? { title } : { title, titleHtml: html };
}

/** Only fields that carry a value appear in the output (extensions are optional keys). */
function present<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as { [K in keyof T]?: NonNullable<T[K]> };
}

/** BCP 47 uses hyphens; feeds write en_US and EN-us too. */
function normalizeLanguage(value: string | null): string | null {
  const trimmed = value?.trim().replace(/_/g, '-');
  return trimmed ? trimmed : null;
}

function normalizeItem(raw: RawItem, feedAuthor: string | null): NormalizedItem {
  const { title, titleHtml } = titleFields(raw.title);
  const summary = toHtml(raw.summary);
  const content = toHtml(raw.content);
  return {
    id: raw.id ?? deriveId(raw.link, title, summary ?? content, raw.published),
    link: raw.link,
    title,
    ...(titleHtml !== undefined ? { titleHtml } : {}),
    published: raw.published,
    updated: raw.updated,
    // RFC 4287 §4.2.1: an entry without an author has the feed's.
    author: raw.author ?? feedAuthor,
    summary,
    content,
    enclosures: raw.enclosures,
    categories: raw.categories,
    ...present({ comments: raw.comments, authorEmail: raw.authorEmail, created: raw.created }),
  };
}

export function normalizeFeed(raw: RawFeed): NormalizedFeed {
  const { title, titleHtml } = titleFields(raw.title);
  const rights = toHtml(raw.rights);
  return {
    format: raw.format,
    title,
    ...(titleHtml !== undefined ? { titleHtml } : {}),
    link: raw.link,
    feedUrl: raw.feedUrl,
    description: toHtml(raw.description),
    language: normalizeLanguage(raw.language),
    updated: raw.updated,
    hub: raw.hub,
    ...present({
      rights,
      id: raw.id,
      author: raw.author,
      authorEmail: raw.authorEmail,
      published: raw.published,
      generator: raw.generator,
      image: raw.image,
      categories: raw.categories,
    }),
    items: raw.items.map((item) => normalizeItem(item, raw.author)),
    warnings: raw.warnings,
  };
}
