/**
 * The `note` effect: one CRM note on the record's timeline, created once per
 * render (key: the render's id). The note's body carries a marker token
 * (`reelay` + part of the render key). A create whose answer may have been
 * lost (the row was claimed before: a lost answer, a timeout, a crash) is
 * never repeated blindly: Reelay first searches notes for the marker, and
 * creates only when none has it. Search lags writes by a few moments, so
 * a miss soon after the earlier attempt waits before creating.
 */
import type { ObjectType } from '../../config/schema.js';
import { escapeHtml } from '../../core/html.js';
import { noteAssociationTypeId } from '../../core/object-types.js';
import { rescheduleWrite, settleSentWrites } from '../../store/settle-outbox.js';
import type { OutboxRow } from '../../store/schema.js';
import type { EngineContext } from '../context.js';
import { hubspotCall } from '../provider-calls.js';
import type { EffectKind } from './kind.js';
import { handleWriteFailure } from './outcomes.js';

export interface NotePayload {
  /** The token in the body that finds the note again. */
  marker: string;
  /** HTML body without the marker. */
  body: string;
  /** `hs_timestamp`: when the video was ready (epoch ms). */
  timestamp: number;
}

/** How long a search may miss a note just created (HubSpot: "a few moments"). */
export const NOTE_SEARCH_SETTLE_MS = 10_000;

/** The marker of a render's note: one alphanumeric token, so `CONTAINS_TOKEN` matches it whole. */
export function noteMarker(renderKey: string): string {
  return `reelay${renderKey.replace(/^rk_/, '').replace(/[^a-z0-9]/gi, '').slice(0, 32)}`;
}

/**
 * The body of a ready video's note: its title and link, and with a
 * thumbnail (the animated `/v/TOKEN/thumbnail.gif`) that image, linking to
 * the video too.
 */
export function noteBody(title: string, link: string, thumbnail?: string): string {
  const text = `<p>Personalised video ready: <a href="${escapeHtml(link)}">${escapeHtml(title)}</a></p>`;
  if (!thumbnail) return text;
  return `${text}<p><a href="${escapeHtml(link)}"><img src="${escapeHtml(thumbnail)}" alt="${escapeHtml(`Play: ${title}`)}" width="480"></a></p>`;
}

/** What goes into `hs_note_body`: the body, then the marker in its own paragraph. */
export function noteText(note: NotePayload): string {
  return `${note.body}<p>${note.marker}</p>`;
}

export const noteKind: EffectKind<NotePayload> = {
  name: 'note',
  parse(text) {
    const value = JSON.parse(text) as Partial<NotePayload>;
    if (typeof value.marker !== 'string' || typeof value.body !== 'string' || typeof value.timestamp !== 'number') {
      throw new Error('note effect: payload lacks marker, body or timestamp');
    }
    return { marker: value.marker, body: value.body, timestamp: value.timestamp };
  },
  serialize: (note) => JSON.stringify(note),
  // Create-once: the first stays.
  merge: () => null,
  async send(ctx, type, rows) {
    await Promise.all(rows.map((row) => sendNote(ctx, type, row)));
  },
};

async function sendNote(ctx: EngineContext, type: ObjectType, row: OutboxRow): Promise<void> {
  try {
    const note = noteKind.parse(row.properties);
    const unsure = row.claims > 1 || row.attempts > 0;
    if (unsure) {
      if (await noteExists(ctx, note.marker)) {
        ctx.log.info({ objectType: type, objectId: row.object_id, renderId: row.render_id }, 'CRM note already created by an earlier attempt');
        await settleSentWrites(ctx.store, [row]);
        return;
      }
      const now = ctx.clock.now();
      const settlesAt = row.updated_at + NOTE_SEARCH_SETTLE_MS;
      if (now < settlesAt) {
        // The earlier attempt may have created it just now, too recently for search to show it.
        await rescheduleWrite(ctx.store, row, { runAt: settlesAt, error: 'waiting for search to show an earlier attempt', now, countAttempt: false });
        return;
      }
    }
    await hubspotCall(ctx, () =>
      ctx.hubspot.createObject('notes', { hs_timestamp: new Date(note.timestamp).toISOString(), hs_note_body: noteText(note) }, [
        { to: { id: row.object_id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: noteAssociationTypeId(type) }] },
      ]),
    );
    await settleSentWrites(ctx.store, [row]);
    await ctx.pauses.resume('hubspot', ctx.clock.now());
  } catch (err) {
    await handleWriteFailure(ctx, [row], err);
  }
}

async function noteExists(ctx: EngineContext, marker: string): Promise<boolean> {
  const found = await hubspotCall(ctx, () =>
    ctx.hubspot.search('notes', {
      filterGroups: [{ filters: [{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: marker }] }],
      properties: ['hs_note_body'],
      limit: 10,
    }),
    'search',
  );
  return found.results.some((note) => note.properties.hs_note_body?.includes(marker) === true);
}
