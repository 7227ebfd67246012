/**
 * What an outbox effect kind is. The outbox holds typed effects, one row per
 * (record, kind, key), coalesced while they wait; a kind says how its payload
 * is stored, how two pending payloads merge, and how a batch of them is sent.
 * A new kind is one file defining an `EffectKind` plus its line in
 * `effects/index.ts`. (`properties`, the render status write-back, keeps its
 * own ordered coalescing in `store/enqueue-crm-write.ts` and is registered by
 * its sender alone.)
 */
import type { ObjectType } from '../../config/schema.js';
import type { CrmTarget } from '../../store/enqueue-crm-write.js';
import type { EffectChange } from '../../store/enqueue-effect.js';
import type { OutboxRow } from '../../store/schema.js';
import type { EngineContext } from '../context.js';

/** Sends claimed effects of one kind, all on records of one type; settles, retries or drops each row. */
export type EffectSender = (ctx: EngineContext, type: ObjectType, rows: OutboxRow[]) => Promise<void>;

export interface EffectKind<P> {
  name: string;
  /** The stored payload (JSON text) back to a value; throws on a payload this kind never wrote. */
  parse(text: string): P;
  serialize(payload: P): string;
  /** What stands when `incoming` arrives while `pending` waits; null keeps `pending` as is. */
  merge(pending: P, incoming: P): P | null;
  send: EffectSender;
}

export interface EffectInput<P> {
  target: CrmTarget;
  /** '' for one effect of this kind per record. */
  key?: string;
  renderId: number;
  payload: P;
  notBefore: number;
}

/** An effect to queue (in a render change, or on its own with `queueEffects`). */
export function effectOf<P>(kind: EffectKind<P>, input: EffectInput<P>): EffectChange {
  return {
    target: input.target,
    kind: kind.name,
    key: input.key ?? '',
    renderId: input.renderId,
    payload: kind.serialize(input.payload),
    merge: (pending, incoming) => {
      const merged = kind.merge(kind.parse(pending), kind.parse(incoming));
      return merged === null ? null : kind.serialize(merged);
    },
    notBefore: input.notBefore,
  };
}
