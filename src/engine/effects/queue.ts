/** Queues effects that belong to no render change (engagement from the video page...), and wakes write-back. */
import { enqueueEffects, type EffectChange } from '../../store/enqueue-effect.js';
import type { EngineContext } from '../context.js';

export async function queueEffects(ctx: Pick<EngineContext, 'store' | 'clock'> & Partial<Pick<EngineContext, 'wake'>>, effects: readonly EffectChange[]): Promise<void> {
  await enqueueEffects(ctx.store, effects, ctx.clock.now());
  if (effects.length > 0) ctx.wake?.('write');
}
