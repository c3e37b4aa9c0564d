// `feedloom eval clusters FILE.jsonl [--json] [--pred FILE.tsv]`: clustering quality on labelled
// data, through the production store path in a throwaway embedded database (src/cluster/eval.ts).
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { evaluateClustersFile } from '../eval/eval-clusters.js';
import { printJson, type ContextFactory } from './context.js';

export function registerEvalCommand(program: Command, context: ContextFactory): void {
  const evaluate = program.command('eval').description('measure quality on labelled data');
  evaluate
    .command('clusters <file>')
    .description('cluster labelled articles (JSONL: id, event, title, summary, published, source, url, lang) and score the stories')
    .option('--json', 'print the scores as JSON')
    .option('--pred <file>', 'also write "<article id>\\t<story id>" lines, for an external scorer')
    .action(async (file: string, options: { json?: boolean; pred?: string }) => {
      const ctx = context(true);
      const { assignments, ...result } = await evaluateClustersFile(file);
      if (options.pred) await writeFile(options.pred, [...assignments].map(([id, story]) => `${id}\t${story}\n`).join(''));
      if (options.json) return printJson(ctx.io, result);
      const { bcubed: b, pairwise: p } = result;
      ctx.io.stdout(
        `${result.articles} articles, ${result.events} events → ${result.clusters} stories in ${result.seconds} s\n` +
          `B-cubed   precision ${b.precision}  recall ${b.recall}  F1 ${b.f1}\n` +
          `pairwise  precision ${p.precision}  recall ${p.recall}  F1 ${p.f1}\n`,
      );
    });
}
