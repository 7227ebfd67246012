/**
 * When triggers fire: wave after wave, each record's first trigger in its
 * own wave and its repeats 1-3 waves later, everything due in a wave fired
 * in shuffled groups (so one record's triggers, other records' triggers and
 * HubSpot's own duplicates interleave).
 */
import type { Random } from '../../src/core/clock.js';
import type { ChaosRecord, TriggerFirer } from './scenario.js';
import { between, type Range } from './turbulence.js';

interface Firing {
  record: ChaosRecord;
  /** The record is already in its trigger state and must leave it first. */
  repeat: boolean;
}

export interface PassOptions {
  /** The records of wave `i`, or null when there are no more waves. */
  nextWave: (wave: number) => ChaosRecord[] | null;
  /** True in a second pass: even the first trigger is a repeat. */
  allRepeats: boolean;
  random: Random;
  waveEveryMs: Range;
  sleep: (ms: number) => Promise<void>;
  onWave?: (wave: number, fired: number) => Promise<void> | void;
}

/** Fires a whole pass; resolves after its last wave. Returns the triggers fired. */
export async function firePass(firer: TriggerFirer, opts: PassOptions): Promise<number> {
  const { random } = opts;
  const repeats: { dueWave: number; record: ChaosRecord }[] = [];
  let fired = 0;
  for (let wave = 0; ; wave += 1) {
    const fresh = opts.nextWave(wave);
    const firing: Firing[] = [];
    for (const record of fresh ?? []) {
      firing.push({ record, repeat: opts.allRepeats });
      for (let k = 1; k < record.triggers; k += 1) repeats.push({ dueWave: wave + 1 + Math.floor(random() * 3), record });
    }
    for (let i = repeats.length - 1; i >= 0; i -= 1) {
      const due = repeats[i];
      if (due && due.dueWave <= wave) {
        firing.push({ record: due.record, repeat: true });
        repeats.splice(i, 1);
      }
    }
    for (const group of shuffledGroups(firing, random)) {
      firer.fire(group.filter((f) => !f.repeat).map((f) => f.record), false);
      firer.fire(group.filter((f) => f.repeat).map((f) => f.record), true);
    }
    fired += firing.length;
    await opts.onWave?.(wave, fired);
    if (fresh === null && repeats.length === 0) return fired;
    await opts.sleep(between(random, opts.waveEveryMs));
  }
}

/** Shuffles, then cuts into 1-4 groups in which no record appears twice (a bulk update names a record once). */
function shuffledGroups(firing: Firing[], random: Random): Firing[][] {
  const items = [...firing];
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as Firing, items[i] as Firing];
  }
  const groups: Firing[][] = Array.from({ length: 1 + Math.floor(random() * 4) }, () => []);
  for (const item of items) {
    const start = Math.floor(random() * groups.length);
    let placed = false;
    for (let k = 0; k < groups.length && !placed; k += 1) {
      const group = groups[(start + k) % groups.length] as Firing[];
      if (!group.some((f) => f.record === item.record)) {
        group.push(item);
        placed = true;
      }
    }
    if (!placed) groups.push([item]);
  }
  return groups.filter((g) => g.length > 0);
}
