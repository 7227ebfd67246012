/**
 * The `properties` effect: a record's coalesced property write (render
 * status, link, error), sent as batch updates of up to 100 records (a lone
 * write as a single PATCH), with HubSpot's 207 partial failures handled row
 * by row. Coalescing (latest status wins, never backwards) is
 * `core/crm-write.ts`, applied by `store/enqueue-crm-write.ts`.
 */
import type { ObjectType } from '../../config/schema.js';
import { isProviderError } from '../../core/errors.js';
import type { BatchRowFailure } from '../../hubspot/types.js';
import { outboxProperties } from '../../store/claim-outbox.js';
import { dropWrite, settleSentWrites } from '../../store/settle-outbox.js';
import type { OutboxRow } from '../../store/schema.js';
import type { EngineContext } from '../context.js';
import { hubspotCall } from '../provider-calls.js';
import { handleWriteFailure, retryWrite } from './outcomes.js';

export const sendPropertyWrites = (ctx: EngineContext, type: ObjectType, rows: OutboxRow[]): Promise<void> =>
  sendProperties(ctx, type, rows, outboxProperties);

/**
 * Writes each row's properties (as `propertiesOf` gives them) to its record;
 * for every kind that writes properties. A row coalesced into while it was
 * sent goes out again at `nextRunAt` when given (else at once).
 */
export async function sendProperties(
  ctx: EngineContext,
  type: ObjectType,
  rows: OutboxRow[],
  propertiesOf: (row: OutboxRow) => Record<string, string>,
  nextRunAt?: number,
): Promise<void> {
  try {
    const [only] = rows;
    if (rows.length === 1 && only) {
      await hubspotCall(ctx, () => ctx.hubspot.updateObject(type, only.object_id, propertiesOf(only)));
      await settleSentWrites(ctx.store, [only], nextRunAt);
    } else {
      const result = await hubspotCall(ctx, () =>
        ctx.hubspot.batchUpdate(
          type,
          rows.map((r) => ({ id: r.object_id, properties: propertiesOf(r) })),
        ),
      );
      await settleBatch(ctx, rows, result.updated, result.failed, nextRunAt);
    }
    await ctx.pauses.resume('hubspot', ctx.clock.now());
  } catch (err) {
    if (isProviderError(err) && err.failureClass === 'permanent' && rows.length > 1) {
      // The whole batch was refused for one bad row: find it by sending them one by one.
      await Promise.all(rows.map((row) => sendProperties(ctx, type, [row], propertiesOf, nextRunAt)));
      return;
    }
    await handleWriteFailure(ctx, rows, err);
  }
}

async function settleBatch(ctx: EngineContext, rows: OutboxRow[], updated: string[], failed: BatchRowFailure[], nextRunAt: number | undefined): Promise<void> {
  const ok = new Set(updated);
  const failures = new Map(failed.flatMap((f) => (f.id === null ? [] : [[f.id, f] as const])));
  await settleSentWrites(ctx.store, rows.filter((row) => ok.has(row.object_id)), nextRunAt);
  for (const row of rows) {
    if (ok.has(row.object_id)) continue;
    const failure = failures.get(row.object_id);
    if (failure && failure.failureClass === 'permanent') {
      ctx.log.error({ objectType: row.object_type, objectId: row.object_id, category: failure.category }, `CRM write dropped: ${failure.message}`);
      await dropWrite(ctx.store, row);
      continue;
    }
    // Retryable row failures, and rows HubSpot answered for without naming them.
    await retryWrite(ctx, row, failure ? `${failure.category}: ${failure.message}` : 'not confirmed by the batch answer');
  }
}
