// feedparser conformance runner: feeds every document of a copy of the feedparser test corpus
// through `feedloom inspect --batch` (one child process, NDJSON in and out) and scores the
// answers against the corpus' expectations. The numbers are the result, so the exit code is 0
// unless the runner itself cannot work (1) or is misused (2).
//
//   npm run conformance -- PATH [--json] [--feature F]... [--verbose] [--fail-list FILE]
//   CONFORMANCE_CMD="node /tmp/fake.mjs" overrides the batch command (split on spaces);
//   CONFORMANCE_TIMEOUT_MS (default 60000) bounds the wait for any one document.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  collectSupport, contentTypeOf, documentUrl, evaluateCase, isRecord,
  type ConformanceCase, type HttpContext, type Loose, type Outcome,
} from './conformance-compare.js';

const FEATURES = ['core', 'base', 'encoding', 'amp', 'sanitize', 'entities', 'illformed'] as const;
const REPO = fileURLToPath(new URL('..', import.meta.url));

interface IllformedCase {
  file: string;
  expects_bozo: boolean | string;
  http: HttpContext | null;
  description?: string;
  fields: Array<{ field: string; entry_index: number | null; sub_index: number | null; expected: string }>;
}

interface Tally { total: number; passed: number; exact: number; normalized: number; failed: number; errors: number; unsupported: number; textEquivalent: number }

interface Failure {
  kind: 'case' | 'illformed' | 'date';
  status: 'fail' | 'error' | 'unsupported';
  feature?: string; file?: string; field?: string; entryIndex?: number | null; subIndex?: number | null;
  expected: string | null; got?: unknown; error?: string; note?: string; textEquivalent?: boolean; description?: string;
}

// ---------------------------------------------------------------------------------------------
// The batch child: requests are pipelined (at most WINDOW in flight) so the child never idles
// and nothing waits for the whole corpus; answers arrive in request order. A document the child
// chokes on (crash, or no answer within the timeout) is charged with the failure and the child
// is restarted for the rest, so one bad document cannot sink the run.

interface BatchRequest { path: string; url?: string; contentType?: string }
type BatchAnswer = { feed: Loose } | { error: string };
interface BatchStats { answered: number; restarts: number; timeouts: number; protocolErrors: number; fatal?: string }
interface BatchOptions { timeoutMs: number; onAnswer(index: number, answer: BatchAnswer): void; onNotice(message: string): void }

// Small enough that in-flight request lines (a few hundred bytes each) never fill the pipe, so
// stdin back-pressure cannot arise; large enough to hide the round trip.
const WINDOW = 16;
const MAX_RESTARTS = 25;

function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (isRecord(error) && typeof error.message === 'string') return typeof error.kind === 'string' ? `${error.kind}: ${error.message}` : error.message;
  return `malformed error ${JSON.stringify(error)}`;
}

/** One child process, answering requests from `start`; resolves when it is done or dead. */
function runSession(command: string[], cwd: string, requests: BatchRequest[], start: number, options: BatchOptions, stats: BatchStats): Promise<{ next: number; answered: number; death?: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command[0] ?? 'node', command.slice(1), { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let next = start; // oldest request without an answer; [next, sent) are in flight
    let sent = start;
    let answered = 0;
    let stderrTail = '';
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const delivered = new Set<string>();
    const finish = (death?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done({ next, answered, death });
    };
    const protocol = (message: string): void => {
      stats.protocolErrors += 1;
      if (stats.protocolErrors <= 5) options.onNotice(`protocol: ${message}`);
    };
    const pump = (): void => {
      while (sent < requests.length && sent - next < WINDOW) child.stdin.write(`${JSON.stringify(requests[sent])}\n`), (sent += 1);
      // End of input as soon as everything is sent: a child that skips the last answer then
      // exits cleanly instead of leaving us waiting for the timeout.
      if (sent >= requests.length && !child.stdin.writableEnded) child.stdin.end();
    };
    const arm = (): void => {
      clearTimeout(timer);
      if (next < sent) {
        timer = setTimeout(() => {
          stats.timeouts += 1;
          finish(`no answer within ${options.timeoutMs} ms`);
          child.kill('SIGKILL');
        }, options.timeoutMs);
      }
    };
    const deliver = (answer: BatchAnswer, real: boolean): void => {
      options.onAnswer(next, answer);
      delivered.add(requests[next]?.path ?? '');
      next += 1;
      if (real) { answered += 1; stats.answered += 1; }
      arm();
      pump();
    };
    child.on('error', (error) => (settled ? undefined : ((settled = true), fail(error))));
    child.stdin.on('error', () => undefined); // EPIPE when the child dies: 'close' reports it
    child.stderr.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000)));
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      if (settled || line.trim() === '') return;
      let msg: unknown;
      try { msg = JSON.parse(line); } catch { msg = undefined; }
      if (!isRecord(msg) || !('feed' in msg || 'error' in msg)) return protocol(`ignored a stdout line that is not a result: ${line.slice(0, 120)}`);
      const head = requests[next];
      if (!head || next >= sent) return protocol(`result for ${String(msg.path)} with no request in flight`);
      const answer: BatchAnswer = isRecord(msg.feed) ? { feed: msg.feed } : { error: errorText(msg.error ?? 'result has neither a feed object nor an error') };
      const path = msg.path;
      if (path === head.path) return deliver(answer, true);
      if (path === null || path === undefined) return deliver({ error: `the command rejected the request: ${'error' in answer ? answer.error : 'no path'}` }, true);
      if (typeof path === 'string' && delivered.has(path)) return protocol(`late or duplicate result for ${path} ignored`);
      let later = -1;
      for (let i = next + 1; i < sent; i += 1) if (requests[i]?.path === path) { later = i; break; }
      if (later < 0) {
        protocol(`result names ${JSON.stringify(path)} while ${head.path} was expected`);
        return deliver({ error: `result line named the wrong path ${JSON.stringify(path)}` }, false);
      }
      protocol(`no result line for ${later - next} request(s) before ${path}`);
      while (next < later) deliver({ error: 'no result line (the command answered a later request first)' }, false);
      deliver(answer, true);
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      if (next >= requests.length) return finish();
      const why = `${command.join(' ')} exited (${signal ?? `code ${code}`}) with ${sent - next} request(s) unanswered${stderrTail.trim() ? `; stderr: ${stderrTail.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
      // A clean exit after end of input means result lines went missing; nothing to retry.
      if (code === 0 && sent >= requests.length && next < sent) {
        protocol(`the command exited without answering ${sent - next} request(s)`);
        while (next < sent) deliver({ error: 'no result line before the command exited' }, false);
      }
      finish(next >= requests.length ? undefined : why);
    });
    pump();
    arm();
  });
}

async function runBatch(command: string[], cwd: string, requests: BatchRequest[], options: BatchOptions): Promise<BatchStats> {
  const stats: BatchStats = { answered: 0, restarts: 0, timeouts: 0, protocolErrors: 0 };
  let next = 0;
  let silent = 0;
  while (next < requests.length) {
    const session = await runSession(command, cwd, requests, next, options, stats);
    next = session.next;
    if (!session.death || next >= requests.length) continue;
    options.onAnswer(next, { error: `the batch command failed on this document: ${session.death}` });
    next += 1;
    if (next >= requests.length) break;
    silent = session.answered === 0 ? silent + 1 : 0;
    if (silent >= 2 || stats.restarts >= MAX_RESTARTS) {
      stats.fatal = session.death;
      options.onNotice(`giving up after ${stats.restarts} restart(s): ${session.death}`);
      for (; next < requests.length; next += 1) options.onAnswer(next, { error: `not run: the batch command is unusable (${session.death})` });
      break;
    }
    stats.restarts += 1;
    options.onNotice(`${session.death}; restarting for the remaining ${requests.length - next} document(s)`);
  }
  return stats;
}

function usage(message: string): never {
  process.stderr.write(`conformance: ${message}\nusage: npm run conformance -- PATH [--json] [--feature ${FEATURES.join('|')}]... [--verbose] [--fail-list FILE]\n`);
  process.exit(2);
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as T);
}

const newTally = (): Tally => ({ total: 0, passed: 0, exact: 0, normalized: 0, failed: 0, errors: 0, unsupported: 0, textEquivalent: 0 });
const rate = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);

function count(tally: Tally, outcome: Outcome | 'error'): void {
  tally.total += 1;
  if (outcome === 'error') tally.errors += 1;
  else if (outcome.status === 'pass') { tally.passed += 1; tally[outcome.level] += 1; }
  else if (outcome.status === 'unsupported') tally.unsupported += 1;
  else { tally.failed += 1; if (outcome.textEquivalent) tally.textEquivalent += 1; }
}

function bump(map: Map<string, Tally>, key: string, outcome: Outcome | 'error'): void {
  let tally = map.get(key);
  if (!tally) map.set(key, (tally = newTally()));
  count(tally, outcome);
}

/** Scores one expectation; a document the parser rejected fails every expectation on it. */
function score(c: ConformanceCase, answer: BatchAnswer | undefined, support: ReturnType<typeof collectSupport>, kind: Failure['kind']): { outcome: Outcome | 'error'; failure?: Failure } {
  const base = { kind, feature: c.feature, file: c.file, field: c.field, entryIndex: c.entry_index, subIndex: c.sub_index, expected: c.expected, description: c.description };
  if (!answer || 'error' in answer) return { outcome: 'error', failure: { ...base, status: 'error', error: answer?.error ?? 'no answer' } };
  const outcome = evaluateCase(c, answer.feed, support);
  if (outcome.status === 'pass') return { outcome };
  if (outcome.status === 'unsupported') return { outcome, failure: { ...base, status: 'unsupported', note: outcome.note } };
  return { outcome, failure: { ...base, status: 'fail', got: outcome.got, note: outcome.note, textEquivalent: outcome.textEquivalent } };
}

type DateReport = { available: false; reason: string } | { available: true; validRight: number; validTotal: number; invalidRejected: number; invalidTotal: number };

/** src/parse/dates.ts may not exist yet: import it by a computed URL so neither tsc nor a missing file breaks the run. */
async function checkDates(path: string, failures: Failure[]): Promise<DateReport> {
  if (!existsSync(path)) return { available: false, reason: 'dates.jsonl missing from corpus' };
  let parse: (input: string) => unknown;
  try {
    const mod = (await import(new URL('../src/parse/dates.js', import.meta.url).href)) as Record<string, unknown>;
    if (typeof mod.parseFeedDate !== 'function') return { available: false, reason: 'src/parse/dates.ts exports no parseFeedDate' };
    parse = mod.parseFeedDate as (input: string) => unknown;
  } catch (error) {
    return { available: false, reason: `cannot import src/parse/dates.ts (${(error as Error).message.split('\n')[0]})` };
  }
  const report = { available: true as const, validRight: 0, validTotal: 0, invalidRejected: 0, invalidTotal: 0 };
  for (const { input, expected } of readJsonl<{ input: string; expected: string | null }>(path)) {
    let got: unknown;
    let error: string | undefined;
    try { got = parse(input); } catch (e) { error = (e as Error).message; }
    const valid = got instanceof Date && !Number.isNaN(got.getTime());
    const iso = valid ? (got as Date).toISOString() : got === null || got === undefined ? null : String(got);
    let ok: boolean;
    if (expected === null) { report.invalidTotal += 1; ok = !valid && error === undefined; if (ok) report.invalidRejected += 1; }
    else {
      report.validTotal += 1;
      ok = valid && Math.floor((got as Date).getTime() / 1000) === Math.floor(Date.parse(expected) / 1000);
      if (ok) report.validRight += 1;
    }
    if (!ok) failures.push({ kind: 'date', status: error ? 'error' : 'fail', field: 'date', expected, got: iso, error, note: `input ${JSON.stringify(input)}` });
  }
  return report;
}

/** JSON, with invisible characters (nbsp, thin space, C1 controls) spelled out: they decide cases. */
const clip = (value: unknown, max = 200): string => {
  const json = value === undefined ? '(absent)' : JSON.stringify(value);
  const text = json.replace(/[\u0080-\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

function tableLines(title: string, rows: Array<[string, Tally]>): string[] {
  const header = `${title.padEnd(24)}${['total', 'passed', 'rate', 'exact', 'normal.', 'failed', 'errors', 'unsupp.'].map((h) => h.padStart(8)).join('')}`;
  return [header, ...rows.map(([name, t]) => `${name.padEnd(24)}${[t.total, t.passed, rate(t.passed, t.total), t.exact, t.normalized, t.failed, t.errors, t.unsupported].map((v) => String(v).padStart(8)).join('')}`)];
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean' }, verbose: { type: 'boolean' }, feature: { type: 'string', multiple: true }, 'fail-list': { type: 'string' }, help: { type: 'boolean' } } });
  } catch (error) {
    usage((error as Error).message);
  }
  if (args.values.help) usage('feedparser conformance runner');
  if (args.positionals.length !== 1) usage('give exactly one corpus PATH');
  // npm runs scripts from the package root; resolve PATH and FILE against the caller's directory.
  const callerDir = process.env.INIT_CWD ?? process.cwd();
  const corpus = resolve(callerDir, args.positionals[0] ?? '');
  if (!existsSync(join(corpus, 'cases.jsonl'))) usage(`${corpus} has no cases.jsonl: not a conformance corpus`);
  const selected = new Set((args.values.feature ?? []).flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean));
  for (const f of selected) if (!(FEATURES as readonly string[]).includes(f)) usage(`unknown feature "${f}"`);
  const wants = (feature: string): boolean => selected.size === 0 || selected.has(feature);
  const failListPath = args.values['fail-list'] ? resolve(callerDir, args.values['fail-list']) : undefined;

  const cases = readJsonl<ConformanceCase>(join(corpus, 'cases.jsonl')).filter((c) => wants(c.feature));
  const illformedPath = join(corpus, 'cases-illformed.jsonl');
  const illformed = wants('illformed') && existsSync(illformedPath) ? readJsonl<IllformedCase>(illformedPath) : [];

  // One request per document; a file's http context is the same in every case that names it.
  const requests = new Map<string, BatchRequest>();
  for (const c of [...cases, ...illformed]) {
    if (requests.has(c.file)) continue;
    const path = join(corpus, 'feeds', c.file);
    const url = documentUrl(c.http);
    const contentType = contentTypeOf(c.http);
    requests.set(c.file, { path, ...(url ? { url } : {}), ...(contentType ? { contentType } : {}) });
  }
  const answers = new Map<string, BatchAnswer>();
  const present: Array<[string, BatchRequest]> = [];
  for (const [file, request] of requests) {
    if (existsSync(request.path)) present.push([file, request]);
    else answers.set(file, { error: 'document missing from the corpus copy' });
  }

  const command = process.env.CONFORMANCE_CMD?.trim() ? process.env.CONFORMANCE_CMD.trim().split(/ +/) : [process.execPath, 'bin/feedloom.js', 'inspect', '--batch'];
  const timeoutMs = Number(process.env.CONFORMANCE_TIMEOUT_MS ?? 60_000) || 60_000;
  const progress = process.stderr.isTTY && !args.values.json;
  let stats;
  try {
    stats = await runBatch(command, REPO, present.map(([, r]) => r), {
      timeoutMs,
      onAnswer: (index, answer) => {
        const entry = present[index];
        if (entry) answers.set(entry[0], answer);
        if (progress && index % 50 === 0) process.stderr.write(`\rconformance: ${index + 1}/${present.length} documents`);
      },
      onNotice: (message) => process.stderr.write(`${progress ? '\n' : ''}conformance: ${message}\n`),
    });
  } catch (error) {
    process.stderr.write(`\nconformance: cannot run ${JSON.stringify(command.join(' '))}: ${(error as Error).message}\n`);
    return 1;
  }
  if (progress) process.stderr.write('\r\x1b[K');
  if (present.length > 0 && stats.answered === 0) {
    process.stderr.write(`conformance: ${JSON.stringify(command.join(' '))} never answered a request (${stats.fatal ?? 'no result lines'}); is \`inspect --batch\` built? (npm run build)\n`);
    return 1;
  }

  const feeds = [...answers.values()].flatMap((a) => ('feed' in a ? [a.feed] : []));
  const support = collectSupport(feeds);
  const failures: Failure[] = [];
  const byFeature = new Map<string, Tally>(); const byField = new Map<string, Tally>(); const byFeatureField = new Map<string, Tally>();
  const overall = newTally();
  for (const c of cases) {
    const { outcome, failure } = score(c, answers.get(c.file), support, 'case');
    count(overall, outcome); bump(byFeature, c.feature, outcome); bump(byField, c.field, outcome); bump(byFeatureField, `${c.feature} ${c.field}`, outcome);
    if (failure) failures.push(failure);
  }

  // The ill-formed corpus: can a tolerant reader get something out of broken documents?
  const ill = { documents: illformed.length, parsed: 0, errors: 0, bozoExpected: 0, bozoWarned: 0, fields: newTally() };
  for (const doc of illformed) {
    const answer = answers.get(doc.file);
    const parsed = answer !== undefined && 'feed' in answer;
    if (parsed) ill.parsed += 1; else ill.errors += 1;
    if (doc.expects_bozo === true) {
      ill.bozoExpected += 1;
      if (parsed && Array.isArray(answer.feed.warnings) && answer.feed.warnings.length > 0) ill.bozoWarned += 1;
    }
    for (const f of doc.fields) {
      const c: ConformanceCase = { file: doc.file, feature: 'illformed', description: doc.description, ...f };
      const { outcome, failure } = score(c, answer, support, 'illformed');
      count(ill.fields, outcome);
      if (failure) failures.push(failure);
    }
  }
  const dates = await checkDates(join(corpus, 'dates.jsonl'), failures);

  const runner = { command: command.join(' '), documents: present.length, answered: stats.answered, restarts: stats.restarts, timeouts: stats.timeouts, protocolErrors: stats.protocolErrors };
  const docErrors = [...answers.values()].filter((a) => 'error' in a).length;
  if (failListPath) writeFileSync(failListPath, failures.map((f) => JSON.stringify(f)).join('\n') + (failures.length ? '\n' : ''));
  const featureRows = FEATURES.filter((f) => byFeature.has(f)).map((f): [string, Tally] => [f, byFeature.get(f) as Tally]);
  const fieldRows = [...byField.entries()].sort((a, b) => b[1].total - a[1].total || a[0].localeCompare(b[0]));

  if (args.values.json) {
    const obj = (m: Map<string, Tally>) => Object.fromEntries([...m.entries()].map(([k, t]) => [k, { ...t, rate: t.total ? t.passed / t.total : null }]));
    const out = {
      corpus, runner, documents: { total: requests.size, parsed: requests.size - docErrors, errors: docErrors },
      overall: { ...overall, rate: overall.total ? overall.passed / overall.total : null },
      features: obj(byFeature), fields: obj(byField), featureFields: obj(byFeatureField),
      illformed: { ...ill, parsedRate: ill.documents ? ill.parsed / ill.documents : null }, dates,
      ...(args.values.verbose ? { failures } : {}),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }

  const lines: string[] = [];
  lines.push(`feedparser conformance: ${corpus}`);
  lines.push(`command: ${runner.command} | documents: ${requests.size}, parsed ${requests.size - docErrors}, errors ${docErrors} | restarts ${runner.restarts}, timeouts ${runner.timeouts}, protocol errors ${runner.protocolErrors}`);
  lines.push('', ...tableLines('feature', [...featureRows, ['all', overall]]));
  lines.push('', ...tableLines('field', fieldRows));
  // feedparser returns text/plain content raw, so for a text/plain source (Atom 0.3 mode="base64"
  // defaults to it) the escaped form is right; for HTML sources it is wrong. Left to a human.
  if (overall.textEquivalent > 0) lines.push(`(${overall.textEquivalent} failures are the escaped-HTML form of the expected text: right if the source was text/plain, wrong if it was markup; marked in --verbose)`);
  if (illformed.length > 0) {
    lines.push('', `illformed corpus: ${ill.parsed}/${ill.documents} documents parsed without error (${rate(ill.parsed, ill.documents)}); ` +
      `${ill.bozoWarned}/${ill.bozoExpected} expected-bozo documents carried warnings; field checks ${ill.fields.passed}/${ill.fields.total} passed (${rate(ill.fields.passed, ill.fields.total)})`);
  }
  lines.push(dates.available
    ? `dates: valid ${dates.validRight}/${dates.validTotal} right, invalid ${dates.invalidRejected}/${dates.invalidTotal} rejected`
    : `dates: not available (${dates.reason})`);
  const unsupported = failures.filter((f) => f.status === 'unsupported').length;
  if (unsupported > 0) lines.push(`unsupported: ${unsupported} expectations name fields no result carries (see the "unsupp." column)`);
  if (args.values.verbose) {
    lines.push('', 'failures:');
    for (const f of failures) {
      if (f.status === 'unsupported') continue;
      const where = f.kind === 'date' ? 'dates.jsonl' : `${f.file} ${f.field}${f.entryIndex != null ? `[${f.entryIndex}]` : ''}${f.subIndex != null ? `.${f.subIndex}` : ''}`;
      lines.push(`${f.status.toUpperCase().padEnd(6)}${(f.feature ?? f.kind).padEnd(10)}${where}`);
      lines.push(`      expected: ${clip(f.expected)}`);
      if (f.status === 'error') lines.push(`      error:    ${f.error}`);
      else lines.push(`      got:      ${clip(f.got)}${f.textEquivalent ? '  (same text, escaped)' : ''}`);
      if (f.note) lines.push(`      note:     ${f.note}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

process.exitCode = await main();
