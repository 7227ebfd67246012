/**
 * The background misfortunes of a chaos run, each a loop on seeded timing:
 * SIGKILLs of `serve` (restarted at once on the same database and port) and
 * 429 storms at HeyGen and HubSpot.
 */
import type { Random } from '../../src/core/clock.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { HEYGEN_FAULTS, HEYGEN_STORM_RATE, HUBSPOT_FAULTS, HUBSPOT_STORM_RATE } from './chaos-config.js';
import type { ServeProcess } from './serve-process.js';

export interface Range {
  min: number;
  max: number;
}

export function between(random: Random, range: Range): number {
  return Math.round(range.min + random() * (range.max - range.min));
}

/** A sleep that `stop()` cuts short. */
class Stoppable {
  private stopped = false;
  private wake: (() => void) | null = null;

  get isStopped(): boolean {
    return this.stopped;
  }

  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }
}

export interface Background {
  /** Ends the loop; resolves once it is idle (for the killer: with `serve` running). */
  stop(): Promise<void>;
  /** The loop's error, if it died (e.g. `serve` failed to restart). */
  error(): unknown;
}

function background(body: (control: Stoppable) => Promise<void>): Background {
  const control = new Stoppable();
  let failure: unknown;
  const done = body(control).catch((err: unknown) => {
    failure = err;
  });
  return {
    async stop() {
      control.stop();
      await done;
    },
    error: () => failure,
  };
}

export interface KillAim {
  /** Share of kills aimed at a moment just after `counter` moves (the rest fall at random). */
  rate: number;
  /** A counter of the moments aimed at, e.g. HeyGen creates accepted. */
  counter: () => number;
  /** How long to wait for it to move before killing anyway. */
  patienceMs: number;
}

/**
 * SIGKILLs `serve` a random while after each start, and restarts it at once.
 * Some kills are aimed: they fall a few milliseconds after HeyGen accepted
 * a create, before Reelay can have recorded the answer (the moment where a
 * blind retry would pay twice).
 */
export function startKiller(serve: ServeProcess, random: Random, every: Range, aim: KillAim, onKill?: (kills: number, aimed: boolean) => void): Background {
  return background(async (control) => {
    while (!control.isStopped) {
      await control.sleep(between(random, every));
      if (control.isStopped) break;
      const aimed = random() < aim.rate && (await waitForMove(control, aim));
      if (control.isStopped) break;
      if (aimed) await control.sleep(Math.floor(random() * 20));
      await serve.kill();
      onKill?.(serve.kills, aimed);
      await serve.start();
    }
  });
}

async function waitForMove(control: Stoppable, aim: KillAim): Promise<boolean> {
  const from = aim.counter();
  const deadline = Date.now() + aim.patienceMs;
  while (!control.isStopped && Date.now() < deadline) {
    if (aim.counter() !== from) return true;
    await control.sleep(2);
  }
  return false;
}

/** Now and then, for a second or two, most requests get 429 (with `Retry-After` at HeyGen). */
export function startStorms(sandbox: Sandbox, random: Random, calm: Range, storm: Range): Background {
  return background(async (control) => {
    while (!control.isStopped) {
      await control.sleep(between(random, calm));
      if (control.isStopped) break;
      const atHeyGen = random() < 0.6;
      if (atHeyGen) sandbox.heygen.control.setFaults({ rateLimitStormRate: HEYGEN_STORM_RATE });
      else sandbox.hubspot.control.setFaults({ rateLimitStormRate: HUBSPOT_STORM_RATE });
      await control.sleep(between(random, storm));
      sandbox.heygen.control.setFaults({ rateLimitStormRate: HEYGEN_FAULTS.rateLimitStormRate ?? 0 });
      sandbox.hubspot.control.setFaults({ rateLimitStormRate: HUBSPOT_FAULTS.rateLimitStormRate ?? 0 });
    }
  });
}
