// The public JSON shape of a source (docs/interface.md): camelCase, ISO 8601 UTC, ids as strings.
import type { SourceWithCount } from '../../db/queries/sources.js';
import type { SourceStatus } from '../../db/schema.js';

export interface SourceJson {
  id: string;
  url: string;
  title: string | null;
  siteUrl: string | null;
  status: SourceStatus;
  lastPolledAt: string | null;
  nextPollAt: string | null;
  lastError: string | null;
  errorCount: number;
  itemCount: number;
  createdAt: string;
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function sourceToJson(row: SourceWithCount): SourceJson {
  return {
    id: String(row.id),
    url: row.url,
    title: row.title,
    siteUrl: row.site_url,
    status: row.status,
    lastPolledAt: iso(row.last_polled_at),
    // A paused source has no next poll.
    nextPollAt: row.status === 'paused' ? null : iso(row.next_poll_at),
    lastError: row.last_error,
    errorCount: row.error_count,
    itemCount: Number(row.item_count),
    createdAt: row.created_at.toISOString(),
  };
}
