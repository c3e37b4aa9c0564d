// Named prepared statements for the hot queries of the store path. Kysely sends every statement
// unnamed, so PostgreSQL parses and plans it on every run; for the dedup and clustering statements
// (unions and joins over a table with a dozen indexes) planning took 1–4 ms, several times their
// execution. A statement whose text starts with `/* prepared:NAME */` is sent as a named statement
// instead: each connection prepares it once and reuses the plan.
import type pg from 'pg';

const MARKER = /^\/\* prepared:([\w-]+) \*\//;

type QueryFunction = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/** Makes every client of `pool` send marked statements as named prepared statements. */
export function usePreparedStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = (client.query as QueryFunction).bind(client);
    (client as unknown as { query: QueryFunction }).query = (config, values, callback) => {
      const name = typeof config === 'string' ? MARKER.exec(config)?.[1] : undefined;
      if (name === undefined || typeof values === 'function') return query(config, values, callback);
      return query({ name, text: config, values }, callback);
    };
  });
}
