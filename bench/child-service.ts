/**
 * A service under measurement in its own process: Reelay as a user runs it
 * (`node bin/reelay.mjs serve`), or the bare Fastify comparison server. Its
 * memory can be read on its own (the sandbox and the load generator stay in
 * the benchmark's process), and the load generator does not share its
 * event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ChildServiceOptions {
  /** The `reelay.yaml` text, passed as REELAY_CONFIG (none for the bare server). */
  config?: string;
  /** Environment of the service (PORT, DATABASE_URL, secrets, API bases...). */
  env: Record<string, string>;
  /** Script run by node, relative to the repository (default `bin/reelay.mjs`). */
  entry?: string;
  args?: string[];
  /** Options for node itself (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** Path answered 200 once the process is ready (default `/readyz`). */
  readyPath?: string;
  url: string;
}

export interface MemorySample {
  /** Resident set now, bytes. */
  rss: number;
  /** Peak resident set since start (VmHWM), bytes. */
  peak: number;
}

export interface ChildService {
  pid: number;
  url: string;
  /** Memory of the process from /proc (Linux); null elsewhere. */
  memory(): MemorySample | null;
  /** Lines the process wrote to stdout/stderr (logs at LOG_LEVEL, crash messages). */
  output(): string[];
  stop(): Promise<void>;
}

export class ChildServiceError extends Error {}

/** The heap settings of `bin/heap-tuning.mjs`, passed on from the benchmark's own environment to compare them. */
function heapTuning(): Record<string, string> {
  const names = ['REELAY_HEAP_GROWTH_PERCENT', 'REELAY_YOUNG_GENERATION_MB'];
  return Object.fromEntries(names.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name] as string]])));
}

export async function startChildService(opts: ChildServiceOptions): Promise<ChildService> {
  const dir = mkdtempSync(join(tmpdir(), 'reelay-bench-'));
  const configPath = join(dir, 'reelay.yaml');
  if (opts.config !== undefined) writeFileSync(configPath, opts.config);
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.entry ?? 'bin/reelay.mjs', ...(opts.args ?? ['serve'])], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...heapTuning(), ...(opts.config === undefined ? {} : { REELAY_CONFIG: configPath }), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  try {
    await waitUntilReady(child, exited, `${opts.url}${opts.readyPath ?? '/readyz'}`, lines);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const pid = child.pid as number;
  return {
    pid,
    url: opts.url,
    memory: () => readMemory(pid),
    output: () => [...lines],
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(child: ChildProcess, exited: Promise<number | null>, url: string, lines: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  while (Date.now() < deadline) {
    if (gone !== undefined || child.exitCode !== null) {
      throw new ChildServiceError(`the process exited (code ${gone ?? child.exitCode}) before it was ready:\n${lines.slice(-20).join('\n')}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new ChildServiceError(`not ready after 60 s at ${url}:\n${lines.slice(-20).join('\n')}`);
}

function readMemory(pid: number): MemorySample | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  const rss = kb('VmRSS');
  const peak = kb('VmHWM');
  return Number.isFinite(rss) && Number.isFinite(peak) ? { rss, peak } : null;
}
