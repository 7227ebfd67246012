/**
 * Progress of a long command on stderr: a bar redrawn in place on a
 * terminal; elsewhere (logs, CI) a plain line per step.
 */
import type { TextOut } from '../setup/report-lines.js';

export interface Progress {
  update(done: number, total: number): void;
  /** Ends the bar's line. */
  finish(): void;
}

const WIDTH = 30;

export function progressBar(out: TextOut, label: string): Progress {
  let drawn = false;
  return {
    update(done, total) {
      const shown = `${done}/${total}`;
      if (out.isTTY !== true) {
        out.write(`${label}: ${shown}\n`);
        return;
      }
      const filled = total === 0 ? WIDTH : Math.min(WIDTH, Math.round((done / total) * WIDTH));
      out.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${shown}`);
      drawn = true;
    },
    finish() {
      if (drawn) out.write('\n');
      drawn = false;
    },
  };
}
