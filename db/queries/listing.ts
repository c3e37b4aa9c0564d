// What the story and item lists share: keyset positions and full-text matching on items.search.
// Lists page by keyset (never offset), so a page boundary stays put while new items arrive.
import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * A keyset position: the sort timestamp as text with full (microsecond) precision, and the id.
 * The timestamp is rendered by PostgreSQL so that it compares exactly equal when read back;
 * a JavaScript Date would drop the microseconds of now()-stamped rows.
 */
export interface Keyset {
  at: string | null;
  id: string;
}

/** The textual timestamp format of keysets: UTC, microseconds, ISO 8601. */
export const keysetText = (column: Expression<Date | null>) =>
  sql<string | null>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Full-text match on items.search. The generated vector is built with the item's language
 * configuration (english for English or unknown, russian, else simple), so the query is parsed
 * with each of them: an English plural or a Russian case ending still matches its stem, and a
 * query of English stop words still matches through the simple configuration.
 */
export function textMatch(q: string): Expression<SqlBool> {
  return sql<SqlBool>`(items.search @@ websearch_to_tsquery('simple', ${q})
    or items.search @@ websearch_to_tsquery('english', ${q})
    or items.search @@ websearch_to_tsquery('russian', ${q}))`;
}

/** An item's time: its publication, else when we first saw it. Never null (fetched_at is not). */
export const itemAt = sql<Date>`coalesce(items.published_at, items.fetched_at)`;
