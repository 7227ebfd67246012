/**
 * Intake by polling HubSpot's Webhooks Journal (`hubspot.intake: journal`):
 * no public URL needed. One instance polls at a time (a lease row; a killed
 * poller's lease runs out and another takes over). Each entry's events go
 * through the same planning and storing as webhook deliveries, and the
 * offset moves past the entry in the SAME transaction that stores them, so
 * a crash at any moment neither skips nor repeats an event.
 *
 * - Journal API calls count against the HubSpot budget; file downloads go
 *   to pre-signed URLs (not HubSpot's API) and carry no Authorization.
 * - An offset HubSpot no longer keeps (404) restarts from the earliest entry
 *   with one loud warning naming both offsets: events between were lost.
 * - A refused grant (or a token the journal refuses) pauses the HubSpot
 *   queue with one alert, as a revoked CRM token does; the poller keeps
 *   probing at the pause's probe interval and lifts its own pause when the
 *   grant works again (a CRM call that works does not lift it: the pause is
 *   the journal's).
 * - A file or event that cannot be read is skipped, logged and counted
 *   (`reelay_journal_entries_skipped_total`); the rest of the entry is kept.
 */
import { PRIVACY_EVENT_KIND } from '../core/erasure.js';
import { isProviderError } from '../core/errors.js';
import { parseJournalFile } from '../hubspot/journal-file.js';
import { JournalOffsetExpired, type JournalClient, type JournalPointer } from '../hubspot/journal-client.js';
import { claimJournalLease, JournalLeaseLost, resetJournalPosition } from '../store/journal-lease.js';
import type { IngestItem } from '../store/ingest-events.js';
import type { EngineContext } from './context.js';
import { receiveJournalEntry } from './lifecycle.js';
import { countIntake, planIntake } from './intake.js';
import type { TickResult } from './loop.js';

/** The journal's row in `journal_cursor`. */
export const JOURNAL_NAME = 'hubspot';
/** Marks the pauses this poller sets: only the journal working again lifts them. */
const PAUSE_OWNER = 'journal';

export class JournalPoller {
  /** The pause code this poller set (so it lifts only its own pause), and when it last probed. */
  private pausedCode: string | null = null;
  private lastAttempt = 0;

  constructor(
    private readonly ctx: EngineContext,
    private readonly journal: JournalClient,
  ) {}

  async tick(): Promise<TickResult> {
    const { ctx } = this;
    const now = ctx.clock.now();
    if (this.pausedCode !== null && now - this.lastAttempt < ctx.config.worker.pauseProbeEvery) return 'idle';
    this.lastAttempt = now;
    const leaseMs = ctx.config.worker.leaseSeconds * 1000;
    const lease = await claimJournalLease(ctx.store, { name: JOURNAL_NAME, owner: ctx.workerId, now, leaseMs });
    if (lease === null) return 'idle';

    let position = lease.position;
    try {
      for (let read = 0; read < ctx.config.hubspot.journal.maxEntriesPerPoll; read += 1) {
        const pointer = await this.nextPointer(position);
        if (pointer === 'emptied') {
          position = null;
          break;
        }
        if (pointer === null) break;
        await this.storeEntry(position, pointer);
        position = pointer.offset;
        await this.lifted();
        if (read === ctx.config.hubspot.journal.maxEntriesPerPoll - 1) return 'busy';
      }
      await this.lifted();
      return 'idle';
    } catch (err) {
      if (err instanceof JournalLeaseLost) {
        ctx.log.warn(err.message);
        return 'idle';
      }
      if (isProviderError(err) && err.failureClass === 'blocking') {
        const silent = this.pausedCode !== null;
        this.pausedCode = err.code;
        await ctx.pauses.pause('hubspot', err.code, `Webhooks Journal: ${err.message}`, ctx.clock.now(), { silent, owner: PAUSE_OWNER });
        return 'idle';
      }
      throw err;
    }
  }

  /** The next entry's pointer; null when caught up; 'emptied' when the offset expired and nothing is kept. */
  private async nextPointer(position: string | null): Promise<JournalPointer | null | 'emptied'> {
    const { ctx, journal } = this;
    if (position === null) return ctx.budget.run('api', () => journal.earliest());
    try {
      return await ctx.budget.run('api', () => journal.next(position));
    } catch (err) {
      if (!(err instanceof JournalOffsetExpired)) throw err;
      const earliest = await ctx.budget.run('api', () => journal.earliest());
      ctx.log.error(
        { lostOffset: position, restartOffset: earliest?.offset ?? null },
        `Webhooks Journal offset ${position} has expired (HubSpot keeps 3 days): restarting from the earliest entry ${earliest?.offset ?? '(none kept)'}; events after ${position} and before it were LOST and will not render`,
      );
      if (earliest !== null) return earliest;
      await resetJournalPosition(ctx.store, { name: JOURNAL_NAME, owner: ctx.workerId, from: position, to: null, now: ctx.clock.now() });
      return 'emptied';
    }
  }

  private async storeEntry(position: string | null, pointer: JournalPointer): Promise<void> {
    const { ctx } = this;
    const body = await this.journal.download(pointer);
    const parsed = parseJournalFile(body, pointer.offset, ctx.config.hubspot.portalId);
    let items: IngestItem[] = [];
    if (!parsed.ok) {
      ctx.metrics.journalSkipped.inc({ what: 'file' });
      ctx.log.warn({ offset: pointer.offset }, `Webhooks Journal entry skipped: ${parsed.reason}`);
    } else {
      if (parsed.skipped.length > 0) {
        ctx.metrics.journalSkipped.inc({ what: 'event' }, parsed.skipped.length);
        ctx.log.warn({ offset: pointer.offset, skipped: parsed.skipped.slice(0, 10) }, `Webhooks Journal entry ${pointer.offset}: ${parsed.skipped.length} malformed event(s) skipped`);
      }
      items = planIntake(parsed.events, ctx.config, undefined);
    }
    const outcomes = await receiveJournalEntry(ctx.store, {
      name: JOURNAL_NAME,
      owner: ctx.workerId,
      from: position,
      to: pointer.offset,
      items,
      now: ctx.clock.now(),
      leaseMs: ctx.config.worker.leaseSeconds * 1000,
    });
    ctx.metrics.journalEntries.inc();
    const { accepted } = countIntake(items, outcomes, ctx.metrics);
    if (accepted > 0) ctx.wake('enrich');
    if (items.some((i) => i.event.kind === PRIVACY_EVENT_KIND)) ctx.wake('privacy');
  }

  /** The journal works (again): lift the pause this poller set, if it is still the one in force. */
  private async lifted(): Promise<void> {
    if (this.pausedCode === null) return;
    const now = this.ctx.clock.now();
    const current = await this.ctx.pauses.get('hubspot', now);
    if (current?.owner === PAUSE_OWNER) await this.ctx.pauses.resume('hubspot', now, { owner: PAUSE_OWNER });
    this.pausedCode = null;
  }
}
