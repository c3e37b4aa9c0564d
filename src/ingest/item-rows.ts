// Normalized items → rows for the items table.
import { createHash } from 'node:crypto';
import type { NewItem } from '../../db/schema.js';
import { canonicalUrl } from '../dedup/canonical-url.js';
import { textSignature } from '../dedup/minhash.js';
import { htmlToText } from '../parse/text.js';
import type { NormalizedFeed, NormalizedItem } from '../parse/model.js';

const MAX_GUID = 1024;

/** Long guids (some feeds use the whole URL with tracking parameters) are hashed to a bounded key. */
function guidKey(id: string): string {
  return id.length <= MAX_GUID ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

/** Hash of what a reader sees: a change here means the item was edited. */
export function contentHash(item: NormalizedItem): string {
  return createHash('sha256')
    .update(`${item.title ?? ''}\u0000${item.summary ?? ''}\u0000${item.content ?? ''}\u0000${item.link ?? ''}`)
    .digest('hex');
}

// PostgreSQL text cannot hold NUL; a feed that contains one must not make its every poll fail.
const clean = (value: string | null): string | null => (value && value.includes('\0') ? value.replaceAll('\0', '') : value);

export function itemRows(sourceId: string, feed: NormalizedFeed): NewItem[] {
  const byGuid = new Map<string, NewItem>();
  for (const item of feed.items) {
    const guid = guidKey(clean(item.id) ?? '');
    // A feed listing one guid twice: the first occurrence (usually the newest) wins.
    if (byGuid.has(guid)) continue;
    byGuid.set(guid, {
      source_id: sourceId,
      guid,
      url: clean(item.link),
      canonical_url: canonicalUrl(clean(item.link)),
      title: clean(item.title),
      summary: clean(item.summary),
      content: clean(item.content),
      author: clean(item.author),
      lang: feed.language?.toLowerCase() ?? null,
      enclosures: JSON.stringify(item.enclosures),
      categories: JSON.stringify(item.categories),
      // Items without a publication date are ordered by their last update, then by when we saw them.
      published_at: item.published ?? item.updated,
      updated_at: item.updated,
      content_hash: contentHash(item),
      // The near-duplicate fingerprint is computed here, outside the store transaction.
      minhash: textSignature(item.title, htmlToText(item.summary ?? item.content ?? '')),
    });
  }
  return [...byGuid.values()];
}
