// GET /metrics in Prometheus text format (prom-client). Store-wide numbers come from the database
// at scrape time, so any replica reports the same; process metrics are this process's.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { storeStats } from '../../../db/queries/stats.js';
import type { Database } from '../../../db/schema.js';

const STATUSES = ['active', 'paused', 'failing'] as const;
const FETCH_OUTCOMES = ['ok', 'not_modified', 'error'] as const;

export function metricsRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'feedloom_process_' });
  const sources = new Gauge({ name: 'feedloom_sources', help: 'Sources by status', labelNames: ['status'], registers: [registry] });
  const items = new Gauge({ name: 'feedloom_items', help: 'Stored items', registers: [registry] });
  const duplicates = new Gauge({ name: 'feedloom_duplicate_items', help: 'Stored items marked as duplicates', registers: [registry] });
  const clusters = new Gauge({ name: 'feedloom_stories', help: 'Stories (clusters)', registers: [registry] });
  const fetches = new Gauge({ name: 'feedloom_fetches_last_hour', help: 'Feed fetches in the last hour by outcome (all workers)', labelNames: ['outcome'], registers: [registry] });
  const fetchSeconds = new Gauge({ name: 'feedloom_fetch_seconds_last_hour', help: 'Total time spent polling in the last hour (all workers)', registers: [registry] });

  app.get('/metrics', async (_request, reply) => {
    const stats = await storeStats(db);
    for (const status of STATUSES) sources.set({ status }, stats.sourcesByStatus[status] ?? 0);
    items.set(stats.items);
    duplicates.set(stats.duplicates);
    clusters.set(stats.clusters);
    for (const outcome of FETCH_OUTCOMES) fetches.set({ outcome }, stats.recentFetches[outcome] ?? 0);
    fetchSeconds.set(stats.recentFetchMs / 1000);
    return reply.type(registry.contentType).header('cache-control', 'no-store').send(await registry.metrics());
  });
}
