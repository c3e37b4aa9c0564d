import type { Command } from 'commander';
import * as topics from '../topics/topics.js';
import { printJson, printTable, withDatabase, type ContextFactory } from './context.js';

export function registerTopicCommands(program: Command, context: ContextFactory): void {
  const group = program.command('topics').description('manage topics (published as merged feeds)');

  group
    .command('add')
    .description('define a topic')
    .argument('<slug>', 'URL name, e.g. nato')
    .requiredOption('--title <title>', 'feed title')
    .requiredOption('--query <query>', 'which stories belong, e.g. "nato AND summit"')
    .option('--description <text>', 'feed description')
    .option('--json', 'print the topic as JSON')
    .action(async (slug: string, options: { title: string; query: string; description?: string; json?: boolean }) => {
      const ctx = context(true);
      await withDatabase(ctx, 'feedloom topics add', async ({ db }) => {
        const topic = await topics.addTopic(db, { slug, title: options.title, query: options.query, description: options.description ?? null });
        if (options.json) printJson(ctx.io, topic);
        else ctx.io.stdout(`${topic.slug}\t${topic.title}\t${topic.query}\n`);
      });
    });

  group
    .command('list')
    .description('list topics')
    .option('--json', 'print {"topics":[…]}')
    .action(async (options: { json?: boolean }) => {
      const ctx = context(true);
      await withDatabase(ctx, 'feedloom topics list', async ({ db }) => {
        const list = await topics.listTopics(db);
        if (options.json) return printJson(ctx.io, { topics: list, nextCursor: null });
        printTable(ctx.io, ['SLUG', 'TITLE', 'QUERY'], list.map((t) => [t.slug, t.title, t.query]));
      });
    });

  group
    .command('remove')
    .description('remove a topic')
    .argument('<slug>', 'topic slug')
    .action(async (slug: string) => {
      const ctx = context(true);
      await withDatabase(ctx, 'feedloom topics remove', async ({ db }) => {
        await topics.removeTopic(db, slug);
        ctx.io.stdout(`removed topic ${slug}\n`);
      });
    });
}
