// `feedloom doctor [--fix]`: reports stories whose stored state drifted from their items, and
// repairs them with --fix. Exit status 1 when problems are found and not (all) repaired.
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { checkStories, type StoryDrift } from '../stories/doctor.js';
import { printJson, withDatabase, type ContextFactory } from './context.js';

const KINDS: Array<[keyof StoryDrift, string]> = [
  ['miscounted', 'stories whose counts or time span differ from their items (or empty and still open)'],
  ['mergedWithItems', 'merged-away stories still holding items'],
  ['strayCopies', "copies outside their original's story"],
  ['chainedCopies', 'copies of copies'],
  ['homeless', 'items in no story'],
  ['unlabelled', 'stories with headlines but no label'],
];

const sample = (ids: string[]) => (ids.length > 5 ? `${ids.slice(0, 5).join(', ')}, …` : ids.join(', '));

function describe(d: StoryDrift): string {
  return KINDS.filter(([kind]) => d[kind].length > 0)
    .map(([kind, text]) => `  ${String(d[kind].length).padStart(5)}  ${text} (${sample(d[kind])})\n`)
    .join('');
}

export function registerDoctorCommand(program: Command, context: ContextFactory): void {
  program
    .command('doctor')
    .description('check that stories agree with their items (counts, copies, labels); --fix repairs')
    .option('--fix', 'repair what is found')
    .option('--json', 'print the report as JSON')
    .action(async (options: { fix?: boolean; json?: boolean }) => {
      const ctx = context(true);
      const report = await withDatabase(ctx, 'feedloom doctor', ({ db }) => checkStories(db, { fix: Boolean(options.fix) }));
      const left = report.left ? Object.values(report.left).reduce((n, ids) => n + ids.length, 0) : report.problems;
      if (options.json) {
        printJson(ctx.io, { problems: report.problems, found: report.found, fixed: Boolean(options.fix), left: report.left });
      } else if (report.problems === 0) {
        ctx.io.stdout('stories agree with their items: no problems found\n');
      } else {
        ctx.io.stdout(`${report.problems} problem(s) found:\n${describe(report.found)}`);
        if (options.fix) ctx.io.stdout(left === 0 ? 'all repaired\n' : `${left} left after repairing:\n${describe(report.left!)}`);
      }
      if (left > 0) throw new UserError(options.fix ? `${left} problem(s) could not be repaired` : `${report.problems} problem(s) found; run \`feedloom doctor --fix\` to repair them`);
    });
}
