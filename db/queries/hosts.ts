// Hosts that asked us to back off (429/503 with Retry-After): no source on them is claimed until then.
import { sql } from 'kysely';
import type { Executor } from '../executor.js';

export async function blockHost(db: Executor, host: string, until: Date, reason: string): Promise<void> {
  await db
    .insertInto('hosts')
    .values({ host, blocked_until: until, reason })
    .onConflict((oc) =>
      oc.column('host').doUpdateSet({
        blocked_until: sql<Date>`greatest(hosts.blocked_until, excluded.blocked_until)`,
        reason: (eb) => eb.ref('excluded.reason'),
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
}
