// Storing polled items. Idempotent by (source, guid): a re-run of the same poll inserts nothing
// new, and an item whose text changed is updated in place (never duplicated).
import { sql } from 'kysely';
import type { NewItem } from '../schema.js';
import type { Executor } from '../executor.js';

export interface UpsertResult {
  inserted: string[];
  updated: string[];
  /** The inserted rows with their guids and publication (else fetch) times, for deduplication. */
  insertedRows: Array<{ id: string; guid: string; at: Date }>;
}

// Each row binds ~16 parameters; PostgreSQL allows 65,535 per statement.
const CHUNK = 500;

export async function upsertItems(db: Executor, rows: NewItem[]): Promise<UpsertResult> {
  const result: UpsertResult = { inserted: [], updated: [], insertedRows: [] };
  for (let i = 0; i < rows.length; i += CHUNK) {
    const returned = await db
      .insertInto('items')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc
          .columns(['source_id', 'guid'])
          .doUpdateSet((eb) => ({
            url: eb.ref('excluded.url'),
            canonical_url: eb.ref('excluded.canonical_url'),
            title: eb.ref('excluded.title'),
            summary: eb.ref('excluded.summary'),
            content: eb.ref('excluded.content'),
            author: eb.ref('excluded.author'),
            lang: eb.ref('excluded.lang'),
            enclosures: sql<string>`excluded.enclosures`,
            categories: sql<string>`excluded.categories`,
            updated_at: eb.ref('excluded.updated_at'),
            content_hash: eb.ref('excluded.content_hash'),
            minhash: sql<number[]>`excluded.minhash`,
            // published_at is kept: publishers that re-date items must not move them.
          }))
          // Unchanged items are not rewritten (and not reported as updated).
          .where((eb) => eb('items.content_hash', 'is distinct from', eb.ref('excluded.content_hash'))),
      )
      // xmax = 0 only for a freshly inserted row version: tells inserts from updates in one statement.
      .returning(['id', 'guid', sql<Date>`coalesce(published_at, fetched_at)`.as('at'), sql<boolean>`(xmax = 0)`.as('inserted')])
      .execute();
    for (const { id, guid, at, inserted } of returned) {
      if (inserted) {
        result.inserted.push(id);
        result.insertedRows.push({ id, guid, at });
      } else {
        result.updated.push(id);
      }
    }
  }
  return result;
}

/** Items the source published since `since` (its posting rate, for the adaptive interval). */
export async function countItemsSince(db: Executor, sourceId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('items')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('source_id', '=', sourceId)
    .where('published_at', '>=', since)
    .executeTakeFirstOrThrow();
  return row.n;
}
