// `feedloom poll`: poll due (or all, or one) sources once, process fully, print a summary, exit.
import type { Command } from 'commander';
import { Poller } from '../ingest/poller.js';
import { UsageError } from '../errors.js';
import { fetchSettings, pollSettings } from '../service/runtime.js';
import { printJson, withDatabase, type ContextFactory } from './context.js';

export function registerPollCommand(program: Command, context: ContextFactory): void {
  program
    .command('poll')
    .description('poll due sources once (or --all, or --source ID), store and process their items, exit')
    .option('--all', 'every source that is not paused, due or not')
    .option('--source <id>', 'this source only (even if paused)')
    .option('--json', 'print the summary as JSON')
    .action(async (options: { all?: boolean; source?: string; json?: boolean }) => {
      if (options.all && options.source) throw new UsageError('use either --all or --source, not both');
      const ctx = context(true);
      await withDatabase(ctx, 'feedloom poll', async ({ db }) => {
        const poller = new Poller({ db, fetch: fetchSettings(ctx.config), logger: ctx.logger, settings: pollSettings(ctx.config) });
        const summary = await poller.poll(options.source ? { kind: 'source', id: options.source } : options.all ? { kind: 'all' } : { kind: 'due' });
        const { updatedItems, ...contract } = summary;
        if (options.json) return printJson(ctx.io, { ...contract, updatedItems });
        ctx.io.stdout(
          `${summary.sources} source(s): ${summary.fetched} fetched, ${summary.notModified} not modified, ${summary.failed} failed; ` +
            `${summary.newItems} new item(s), ${updatedItems} updated, ${summary.duplicates} duplicate(s), ${summary.clusters} new stor${summary.clusters === 1 ? 'y' : 'ies'}\n`,
        );
      });
    });
}
