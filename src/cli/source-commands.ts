import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UserError, messageOf } from '../errors.js';
import { fetchSettings } from '../service/runtime.js';
import * as sources from '../sources/sources.js';
import type { SourceJson } from '../sources/source-json.js';
import { printJson, printTable, withDatabase, type CliIo, type ContextFactory } from './context.js';

function printSource(io: CliIo, source: SourceJson): void {
  io.stdout(`${source.id}\t${source.title ?? '(untitled)'}\t${source.url}\n`);
}

export function registerSourceCommands(program: Command, context: ContextFactory): void {
  const group = program.command('sources').description('manage feed sources');

  group
    .command('add')
    .description('add a feed; validates it by fetching once')
    .argument('<url>', 'feed URL')
    .option('--title <title>', 'title to use instead of the feed’s own')
    .option('--no-validate', 'store without fetching (the first poll checks it)')
    .option('--json', 'print the source as JSON')
    .action(async (url: string, options: { title?: string; validate: boolean; json?: boolean }) => {
      const ctx = context(true);
      await withDatabase(ctx, 'feedloom sources add', async ({ db }) => {
        const source = await sources.addSource(db, fetchSettings(ctx.config), {
          url,
          title: options.title ?? null,
          validate: options.validate,
        });
        if (options.json) printJson(ctx.io, source);
        else printSource(ctx.io, source);
      });
    });

  group
    .command('list')
    .description('list sources')
    .option('--json', 'print {"sources":[…],"nextCursor":null}')
    .action(async (options: { json?: boolean }) => {
      const ctx = context(true);
      await withDatabase(ctx, 'feedloom sources list', async ({ db }) => {
        const list = await sources.listSources(db);
        if (options.json) return printJson(ctx.io, { sources: list, nextCursor: null });
        printTable(
          ctx.io,
          ['ID', 'STATUS', 'ITEMS', 'ERRORS', 'TITLE', 'URL'],
          list.map((s) => [s.id, s.status, s.itemCount, s.errorCount, s.title, s.url]),
        );
      });
    });

  group
    .command('remove')
    .description('remove a source and its items')
    .argument('<id>', 'source id')
    .action(async (id: string) => {
      const ctx = context(true);
      await withDatabase(ctx, 'feedloom sources remove', async ({ db }) => {
        await sources.removeSource(db, id);
        ctx.io.stdout(`removed source ${id}\n`);
      });
    });

  group
    .command('import')
    .description('import feeds from an OPML file (- for stdin); duplicates are skipped')
    .argument('<file>', 'OPML file')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const ctx = context(true);
      let xml: string;
      try {
        xml = file === '-' ? await ctx.io.readStdin() : await readFile(file, 'utf8');
      } catch (error) {
        throw new UserError(`cannot read ${file}: ${messageOf(error)}`);
      }
      await withDatabase(ctx, 'feedloom sources import', async ({ db }) => {
        const report = await sources.importOpml(db, xml);
        if (options.json) return printJson(ctx.io, report);
        for (const a of report.added) ctx.io.stdout(`added   ${a.id}\t${a.url}\n`);
        for (const s of report.skipped) ctx.io.stdout(`skipped ${s.url} (${s.reason})\n`);
        for (const f of report.failed) ctx.io.stdout(`failed  ${f.url} (${f.error})\n`);
        ctx.io.stdout(`${report.added.length} added, ${report.skipped.length} skipped, ${report.failed.length} failed\n`);
      });
    });

  group
    .command('export')
    .description('write all sources as OPML 2.0 to stdout')
    .action(async () => {
      const ctx = context(true);
      await withDatabase(ctx, 'feedloom sources export', async ({ db }) => {
        ctx.io.stdout(await sources.exportOpml(db));
        ctx.io.stdout('\n');
      });
    });
}
