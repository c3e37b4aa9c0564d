// Marked statements run as named prepared statements on PostgreSQL (db/prepared.ts): planned once
// per connection, and giving the same results as unnamed ones.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { engines } from './helpers/databases.js';
import { useTestEnvironment } from './helpers/environment.js';

describe.skipIf(!engines.includes('postgres'))('prepared statements on postgres', () => {
  const env = useTestEnvironment('postgres');

  it('prepares a marked statement once per connection and reuses it with new parameters', async () => {
    await env.db.transaction().execute(async (trx) => {
      const probe = (n: number) => sql<{ n: number }>`/* prepared:test-probe */ select ${n}::int + 1 as n`.execute(trx);
      expect((await probe(1)).rows).toEqual([{ n: 2 }]);
      expect((await probe(41)).rows).toEqual([{ n: 42 }]);
      const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(trx);
      expect(rows.map((r) => r.name)).toContain('test-probe');
      // Unmarked statements stay unnamed.
      await sql`select 1`.execute(trx);
      const after = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(trx);
      expect(after.rows).toHaveLength(rows.length);
    });
  });
});
