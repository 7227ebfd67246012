/** The backfill progress display: a bar redrawn in place on a terminal, plain lines elsewhere. */
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/manual/progress.js';

function capture(isTTY: boolean) {
  const out = { text: '', isTTY, write: (t: string) => (out.text += t) };
  return out;
}

describe('backfill progress', () => {
  it('redraws one line on a terminal and ends it when done', () => {
    const out = capture(true);
    const progress = progressBar(out, 'queueing contacts');
    progress.update(200, 800);
    progress.update(800, 800);
    progress.finish();
    expect(out.text).toBe(`\rqueueing contacts [########......................] 200/800\rqueueing contacts [${'#'.repeat(30)}] 800/800\n`);
  });

  it('writes a plain line per step when not on a terminal', () => {
    const out = capture(false);
    const progress = progressBar(out, 'queueing contacts');
    progress.update(200, 400);
    progress.update(400, 400);
    progress.finish();
    expect(out.text).toBe('queueing contacts: 200/400\nqueueing contacts: 400/400\n');
  });
});
