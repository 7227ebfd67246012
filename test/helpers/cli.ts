/**
 * Runs the `reelay` executable (`node bin/reelay.mjs ...`) as a child
 * process, the way a user or a process manager does: an explicit
 * environment (nothing inherited but PATH and HOME, so no stray credential
 * leaks in), captured output, waiting for a log line, signals.
 *
 *   const r = await runCli(['migrate'], { env: { DATABASE_URL } });
 *   const p = spawnCli(['serve'], { env }); await p.waitForOutput(/reelay is running/);
 *   p.kill('SIGKILL'); await p.exited;
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REELAY_BIN = join(REPO_ROOT, 'bin', 'reelay.mjs');

export interface CliOptions {
  /** The child's whole environment, on top of PATH and HOME. */
  env?: Record<string, string>;
  cwd?: string;
}

export interface CliExit {
  /** Null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliResult extends CliExit {
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited (and its output is complete). */
  readonly exited: Promise<CliExit>;
  /** Resolves with the first line of stdout or stderr matching `pattern`; rejects if the process exits first or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal: NodeJS.Signals): void;
}

function childEnv(env: Record<string, string> | undefined): Record<string, string> {
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return { ...base, ...env };
}

export function spawnCli(args: readonly string[], opts: CliOptions = {}): CliProcess {
  const child = spawn(process.execPath, [REELAY_BIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: childEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    notify();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    notify();
  });
  let done = false;
  const exited = new Promise<CliExit>((resolve, reject) => {
    child.once('error', reject);
    // 'close' (not 'exit') fires once the output pipes are drained.
    child.once('close', (code, signal) => {
      done = true;
      notify();
      resolve({ code, signal });
    });
  });

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput(pattern, timeoutMs = 30_000) {
      return new Promise<string>((resolve, reject) => {
        const check = () => {
          const line = `${out}\n${err}`.split('\n').find((l) => pattern.test(l));
          if (line !== undefined) finish(() => resolve(line));
          else if (done) finish(() => reject(new Error(`reelay ${args.join(' ')} exited before printing ${pattern}\n${out}\n${err}`)));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`reelay ${args.join(' ')} printed no ${pattern} within ${timeoutMs} ms\n${out}\n${err}`))),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Runs a command to completion; kills it (SIGKILL) and fails after `timeoutMs`. */
export async function runCli(args: readonly string[], opts: CliOptions & { timeoutMs?: number } = {}): Promise<CliResult> {
  const proc = spawnCli(args, opts);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill('SIGKILL');
  }, timeoutMs);
  try {
    const exit = await proc.exited;
    if (timedOut) throw new Error(`reelay ${args.join(' ')} did not finish within ${timeoutMs} ms\n${proc.stdout()}\n${proc.stderr()}`);
    return { ...exit, stdout: proc.stdout(), stderr: proc.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

/** A temporary directory, removed by `remove()`. */
export interface TempDir {
  path: string;
  /** Writes `name` in the directory and returns its full path. */
  write(name: string, content: string): string;
  remove(): void;
}

export function tempDir(prefix = 'reelay-e2e-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    write(name, content) {
      const file = join(path, name);
      writeFileSync(file, content);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** Lines of pino JSON output that parse, as objects (other lines are skipped). */
export function logRecords(output: string): Array<Record<string, unknown>> {
  const records: Array<Record<string, unknown>> = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      records.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A line cut by a kill -9 is not a record.
    }
  }
  return records;
}
