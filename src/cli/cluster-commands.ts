// `feedloom clusters`: the newest stories with their articles, as the API shapes them.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { listClusters, parseIsoTime, type ClusterJson } from '../stories/stories.js';
import { topicQueryOf } from '../topics/topics.js';
import { printJson, withDatabase, type CliIo, type ContextFactory } from './context.js';

interface ClusterOptions {
  topic?: string;
  since?: string;
  limit?: string;
  json?: boolean;
}

const MAX_LIMIT = 500;

function parseOptions(options: ClusterOptions): { since: Date | null; limit: number } {
  let since: Date | null = null;
  if (options.since !== undefined) {
    since = parseIsoTime(options.since);
    if (!since) throw new UsageError(`--since: expected an ISO 8601 date or date-time, got "${options.since}"`);
  }
  let limit = 50;
  if (options.limit !== undefined) {
    limit = /^\d{1,4}$/.test(options.limit) ? Number(options.limit) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new UsageError(`--limit: expected a whole number from 1 to ${MAX_LIMIT}, got "${options.limit}"`);
  }
  return { since, limit };
}

function printCluster(io: CliIo, cluster: ClusterJson): void {
  io.stdout(
    `#${cluster.id} ${cluster.label ?? '(untitled)'}  (${cluster.itemCount} items, ${cluster.sourceCount} sources, ${cluster.lastPublishedAt ?? '-'})\n`,
  );
  for (const item of cluster.items) {
    const parts = [`${item.source.title ?? item.source.url}: ${item.title ?? '(untitled)'}`];
    if (item.url) parts.push(item.url);
    if (item.duplicateOf !== null) parts.push('(copy)');
    io.stdout(`  - ${parts.join(' ')}\n`);
  }
}

export function registerClusterCommands(program: Command, context: ContextFactory): void {
  program
    .command('clusters')
    .description('print the newest stories with their articles')
    .option('--topic <slug>', "only the stories matching a topic's query ('all' for every story)")
    .option('--since <iso>', 'only stories active since this date or time (ISO 8601)')
    .option('--limit <n>', `how many stories (1-${MAX_LIMIT}, default 50)`)
    .option('--json', 'print {"clusters":[…]} in the API shape')
    .action(async (options: ClusterOptions) => {
      const { since, limit } = parseOptions(options);
      const ctx = context(true);
      await withDatabase(ctx, 'feedloom clusters', async ({ db }) => {
        const topic = options.topic !== undefined ? await topicQueryOf(db, options.topic) : null;
        const page = await listClusters(db, { since, limit, topic });
        if (options.json) return printJson(ctx.io, { clusters: page.rows });
        if (page.rows.length === 0) return ctx.io.stdout('no stories yet\n');
        page.rows.forEach((cluster, i) => {
          if (i > 0) ctx.io.stdout('\n');
          printCluster(ctx.io, cluster);
        });
      });
    });
}
