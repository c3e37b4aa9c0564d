import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** A real round trip: the query reaches the server and reads a table of ours. */
export async function databaseRoundTrip(db: Kysely<Database>): Promise<void> {
  await sql`select 1 from sources limit 1`.execute(db);
}
