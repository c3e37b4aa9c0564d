// `feedloom inspect`: read one feed (file or URL) and print the normalized model, or, with
// --batch, answer NDJSON requests on stdin line by line (the conformance runner's interface).
// No database is involved.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UserError, messageOf } from '../errors.js';
import { FetchError, fetchFeed } from '../fetch/fetcher.js';
import type { NormalizedFeed } from '../parse/model.js';
import { FeedParseError, parseFeed } from '../parse/parse-feed.js';
import { fetchSettings } from '../service/runtime.js';
import { printJson, type CliIo, type ContextFactory } from './context.js';

interface InspectOptions {
  url?: string;
  contentType?: string;
  json?: boolean;
  batch?: boolean;
}

interface BatchRequest {
  path: string;
  url?: string;
  contentType?: string;
}

function errorJson(error: unknown): { kind: string; message: string } {
  if (error instanceof FeedParseError || error instanceof FetchError) return { kind: error.kind, message: error.message };
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') return { kind: 'read', message: messageOf(error) };
  return { kind: 'internal', message: messageOf(error) };
}

async function inspectFile(path: string, url: string | null, contentType: string | null): Promise<NormalizedFeed> {
  const bytes = await readFile(path);
  return parseFeed({ bytes, contentType, url }).feed;
}

function printHuman(io: CliIo, feed: NormalizedFeed): void {
  io.stdout(`${feed.title ?? '(untitled)'}  [${feed.format}]\n`);
  io.stdout(`site: ${feed.link ?? '-'}\nfeed: ${feed.feedUrl ?? '-'}\n`);
  if (feed.language) io.stdout(`language: ${feed.language}\n`);
  io.stdout(`${feed.items.length} item(s)\n`);
  for (const item of feed.items) {
    io.stdout(`  ${item.published ?? item.updated ?? '-'.padEnd(24)}  ${item.title ?? '(untitled)'}\n`);
    if (item.link) io.stdout(`  ${''.padEnd(24)}  ${item.link}\n`);
  }
  for (const warning of feed.warnings) io.stdout(`warning: ${warning}\n`);
}

async function runBatch(io: CliIo): Promise<void> {
  const lines = io.stdinLines ? io.stdinLines() : (await io.readStdin()).split(/\r?\n/);
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let request: BatchRequest;
    try {
      request = JSON.parse(line) as BatchRequest;
      if (typeof request?.path !== 'string') throw new Error('a request needs a "path" string');
    } catch (error) {
      io.stdout(`${JSON.stringify({ path: null, error: { kind: 'request', message: messageOf(error) } })}\n`);
      continue;
    }
    try {
      const feed = await inspectFile(request.path, request.url ?? null, request.contentType ?? null);
      io.stdout(`${JSON.stringify({ path: request.path, feed })}\n`);
    } catch (error) {
      io.stdout(`${JSON.stringify({ path: request.path, error: errorJson(error) })}\n`);
    }
  }
}

export function registerInspectCommand(program: Command, context: ContextFactory): void {
  program
    .command('inspect')
    .description('read a feed file or URL and print it as feedloom understands it (no database)')
    .argument('[source]', 'file path or http(s) URL')
    .option('--url <url>', "the document's URL, for resolving relative links (files)")
    .option('--content-type <type>', 'the Content-Type the document was served with (files)')
    .option('--json', 'print the normalized feed as JSON')
    .option('--batch', 'read NDJSON requests {"path","url"?,"contentType"?} on stdin, answer NDJSON')
    .action(async (source: string | undefined, options: InspectOptions) => {
      const ctx = context(true);
      if (options.batch) {
        if (source) throw new UserError('inspect --batch reads its requests from stdin; give no FILE or URL');
        return runBatch(ctx.io);
      }
      if (!source) throw new UserError('inspect needs a FILE or URL (or --batch)');
      let feed: NormalizedFeed;
      try {
        if (/^https?:\/\//i.test(source)) {
          const response = await fetchFeed(source, fetchSettings(ctx.config));
          feed = parseFeed({ bytes: response.body, contentType: response.headers['content-type'] ?? null, url: response.url }).feed;
        } else {
          feed = await inspectFile(source, options.url ?? null, options.contentType ?? null);
        }
      } catch (error) {
        const { kind, message } = errorJson(error);
        throw new UserError(`cannot read ${source}: ${message}`, kind);
      }
      if (options.json) printJson(ctx.io, feed);
      else printHuman(ctx.io, feed);
    });
}
