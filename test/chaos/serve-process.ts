/**
 * `reelay serve` as a real child process, so that a crash is a real
 * SIGKILL: no shutdown hook runs, no lease is given back, whatever was in
 * flight is cut off mid-request. Restarts reuse the same database and port,
 * so the sandbox's webhook targets stay valid across the outage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';

const REELAY_BIN = resolve(import.meta.dirname, '../../bin/reelay.mjs');

export class ServeProcessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServeProcessError';
  }
}

export interface ServeProcessOptions {
  /** The complete environment of the child (PORT, DATABASE_URL, secrets, ...). */
  env: Record<string, string>;
  /** `http://127.0.0.1:PORT`, polled on `/readyz`. */
  url: string;
  /** Both output streams of every incarnation are appended here. */
  logFile: string;
  readyTimeoutMs?: number;
}

interface Incarnation {
  number: number;
  child: ChildProcess;
  /** Set before we signal it, so its exit is not counted as a crash. */
  expected: boolean;
  exited: Promise<void>;
}

export class ServeProcess {
  private current: Incarnation | null = null;
  private readonly log: WriteStream;
  private startCount = 0;
  private killCount = 0;
  private readonly unexpected: string[] = [];

  constructor(private readonly opts: ServeProcessOptions) {
    this.log = createWriteStream(opts.logFile, { flags: 'a' });
  }

  get starts(): number {
    return this.startCount;
  }

  get kills(): number {
    return this.killCount;
  }

  /** Exits nobody asked for: Reelay crashed by itself. */
  get unexpectedExits(): readonly string[] {
    return this.unexpected;
  }

  get running(): boolean {
    return this.current !== null;
  }

  /** Starts a new incarnation and resolves once `/readyz` answers 200. */
  async start(): Promise<void> {
    if (this.current) throw new ServeProcessError('serve is already running');
    this.startCount += 1;
    const number = this.startCount;
    this.log.write(`\n--- serve #${number} starting at ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, [REELAY_BIN, 'serve'], { env: this.opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    const incarnation: Incarnation = { number, child, expected: false, exited: Promise.resolve() };
    incarnation.exited = new Promise((done) => {
      child.once('exit', (code, signal) => {
        this.log.write(`--- serve #${number} exited (code ${code}, signal ${signal}) at ${new Date().toISOString()}\n`);
        if (!incarnation.expected) this.unexpected.push(`serve #${number} exited by itself (code ${code}, signal ${signal})`);
        if (this.current === incarnation) this.current = null;
        done();
      });
    });
    this.current = incarnation;
    await this.waitReady(incarnation);
  }

  /** SIGKILL, then wait until the process is gone (and its port free again). */
  async kill(): Promise<void> {
    const incarnation = this.current;
    if (!incarnation) throw new ServeProcessError('serve is not running');
    this.killCount += 1;
    this.log.write(`--- SIGKILL to serve #${incarnation.number} at ${new Date().toISOString()}\n`);
    await this.signal(incarnation, 'SIGKILL');
  }

  /** A clean stop (SIGTERM). */
  async stop(): Promise<void> {
    if (this.current) await this.signal(this.current, 'SIGTERM');
  }

  /** Kills whatever still runs and closes the log. */
  async close(): Promise<void> {
    if (this.current) await this.signal(this.current, 'SIGKILL');
    await new Promise<void>((done) => this.log.end(done));
  }

  private async signal(incarnation: Incarnation, signal: NodeJS.Signals): Promise<void> {
    incarnation.expected = true;
    incarnation.child.kill(signal);
    await incarnation.exited;
  }

  private async waitReady(incarnation: Incarnation): Promise<void> {
    const timeoutMs = this.opts.readyTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.current !== incarnation) throw new ServeProcessError(`serve #${incarnation.number} exited during start-up: see ${this.opts.logFile}`);
      try {
        const response = await fetch(`${this.opts.url}/readyz`, { signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
        if (response.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new ServeProcessError(`serve #${incarnation.number} was not ready within ${timeoutMs} ms: see ${this.opts.logFile}`);
  }
}
