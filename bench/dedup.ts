// Dedup cost per item as the store grows (issue 5: ≤ 0.2 ms per item at 100k stored items, and
// flat). Stored items get realistic, mostly distinct news texts with fingerprints and band keys;
// then batches of 50 new items (a poll's worth: some copies, mostly new stories) go through
// dedupNewItems in a transaction, as in the poll job. The same run at 1k stored items is the baseline.
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connect.js';
import { bandKeys, textSignature } from '../src/dedup/minhash.js';
import { dedupNewItems } from '../src/dedup/dedup.js';
import { createBenchDatabase, withCleanup } from './database.js';

const VOCABULARY = `alliance summit leaders defence spending brussels helsinki cave rescue divers football coach
  heatwave drought minister resigned brexit cabinet parliament vote election storm flood market shares bank
  rate inflation police court ruling hospital vaccine school strike union workers trade tariff border talks
  treaty president premier mayor council budget museum festival concert team final goal match injury weather
  rain harbour ship airline airport delay train station bridge road closure fire forest city village region`.split(/\s+/);

function text(seed: number): string {
  // A deterministic pseudo-random 60-word text: distinct per seed, realistic word frequencies.
  let x = seed * 2654435761 >>> 0;
  const words: string[] = [];
  for (let i = 0; i < 60; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    words.push(VOCABULARY[x % VOCABULARY.length]!);
  }
  return words.join(' ');
}

async function fill(handle: DatabaseHandle, sourceId: string, from: number, to: number, start: Date): Promise<void> {
  for (let i = from; i < to; i += 1000) {
    const rows = [];
    for (let j = i; j < Math.min(to, i + 1000); j++) {
      rows.push({
        source_id: sourceId,
        guid: `stored-${j}`,
        canonical_url: `https://stored.example/${j}`,
        title: `Stored story ${j}`,
        summary: text(j),
        // Spread over 180 days, the default retention.
        published_at: new Date(start.getTime() - (j % 180) * 86_400_000 - (j % 1440) * 60_000),
        minhash: textSignature(null, text(j)),
      });
    }
    const inserted = await handle.db.insertInto('items').values(rows).returning(['id', 'minhash', 'published_at']).execute();
    await handle.db
      .insertInto('item_bands')
      .values(inserted.flatMap((r) => bandKeys(r.minhash!).map((key) => ({ key, item_id: r.id, at: r.published_at! }))))
      .execute();
  }
}

async function timeBatches(handle: DatabaseHandle, sourceId: string, offset: number, now: Date): Promise<{ ms: number; duplicates: number }> {
  let ms = 0;
  let duplicates = 0;
  for (let batch = 0; batch < 20; batch++) {
    const rows = Array.from({ length: 50 }, (_, k) => {
      const n = offset + batch * 50 + k;
      // Every fifth item is wire copy of a recent stored story; the rest are new stories.
      const copyOf = k % 5 === 0 ? (n * 7) % 1000 : null;
      const body = copyOf !== null ? `${text(copyOf)} reported` : text(10_000_000 + n);
      return {
        source_id: sourceId,
        guid: `new-${n}`,
        canonical_url: `https://new.example/${n}`,
        title: `New story ${n}`,
        summary: body,
        published_at: copyOf !== null ? new Date(now.getTime() - (copyOf % 180) * 86_400_000 - (copyOf % 1440) * 60_000 + 3_600_000) : now,
        minhash: textSignature(null, body),
      };
    });
    // As in the poll job, dedup runs inside the transaction that stores the items: what it adds is
    // its own queries, not the transaction.
    const result = await handle.db.transaction().execute(async (trx) => {
      const ids = (await trx.insertInto('items').values(rows).returning('id').execute()).map((r) => r.id);
      const started = performance.now();
      const found = await dedupNewItems(trx, ids);
      ms += performance.now() - started;
      return found;
    });
    duplicates += result.duplicates;
  }
  return { ms, duplicates };
}

export function benchDedup(): Promise<Record<string, number>> {
  return withCleanup(async (cleanup) => {
    const handle = await createBenchDatabase(cleanup);
    const source = await handle.db.insertInto('sources').values({ url: 'https://stored.example/feed', host: 'stored.example' }).returning('id').executeTakeFirstOrThrow();
    const other = await handle.db.insertInto('sources').values({ url: 'https://new.example/feed', host: 'new.example' }).returning('id').executeTakeFirstOrThrow();
    const now = new Date();
    await fill(handle, source.id, 0, 1_000, now);
    await sql`analyze`.execute(handle.db);
    const small = await timeBatches(handle, other.id, 0, now);
    await fill(handle, source.id, 1_000, 100_000, now);
    await sql`analyze`.execute(handle.db);
    const large = await timeBatches(handle, other.id, 1_000, now);
    return {
      msPerItemAt1k: Number((small.ms / 1000).toFixed(3)),
      msPerItemAt100k: Number((large.ms / 1000).toFixed(3)),
      ratio: Number((large.ms / small.ms).toFixed(2)),
      duplicatesFoundAt100k: large.duplicates,
      duplicatesExpected: 200,
    };
  });
}
