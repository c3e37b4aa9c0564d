// `feedloom` for tests: one-shot commands run in this process through main(), as the entry point
// runs them (its output captured, a clean environment); the long-running ones and the entry point
// itself run as real processes (cli-smoke.test.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { scheduledJobs } from '../../jobs/index.js';
import { main } from '../../src/cli/main.js';

const entry = fileURLToPath(new URL('./cli-entry.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type CliEnv = Record<string, string | undefined>;

/**
 * Runs one command in this process. `env` is all the environment it sees: the developer's own
 * DATABASE_URL or PORT cannot leak in.
 */
export async function runCli(args: string[], env: CliEnv = {}, stdin = ''): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (text: string) => void (stdout += text),
    stderr: (text: string) => void (stderr += text),
    readStdin: async () => stdin,
  };
  try {
    const code = await main(args, io, { ...env }, scheduledJobs);
    return { code, stdout, stderr };
  } finally {
    // A process of its own would take its kept-alive connections with it. Kept for the next
    // command, one could be closed by the server just as it is reused: a failed fetch, in a test.
    http.globalAgent.destroy();
    https.globalAgent.destroy();
  }
}

function processEnv(env: CliEnv): NodeJS.ProcessEnv {
  // A clean environment here too, but for what node itself needs (PATH, HOME…).
  const { DATABASE_URL, DATA_DIR, PORT, HOST, ADMIN_TOKEN, LOG_LEVEL, ...rest } = process.env;
  void DATABASE_URL, DATA_DIR, PORT, HOST, ADMIN_TOKEN, LOG_LEVEL;
  return { ...rest, ...env };
}

/** Starts `feedloom` as a real process, from source (through tsx, so never a stale dist/). */
export function startCli(args: string[], env: CliEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: root, env: processEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs `feedloom` as a real process to its end, `stdin` written to it. */
export function runCliProcess(args: string[], env: CliEnv = {}, stdin = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = startCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin!.end(stdin);
  });
}

/** Waits until the child prints a line matching `pattern` on stdout, and returns the match. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stdout: ${seen}; stderr: ${errors}`)), timeoutMs);
    child.stderr!.on('data', (chunk) => (errors += chunk));
    child.stdout!.on('data', (chunk) => {
      seen += chunk;
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; stdout: ${seen}; stderr: ${errors}`));
    });
  });
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}
