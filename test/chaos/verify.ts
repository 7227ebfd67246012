/**
 * The verdict of a chaos pass, from what users and accountants see: the
 * CRM's properties, HeyGen's ledger, and the render rows left in the store.
 * Returns every problem found (none = the pass is clean), each naming the
 * record and renders it concerns, so a failed run explains itself.
 */
import { parseSubmissionKey } from '../../src/core/render-key.js';
import { liveStates, type RenderState } from '../../src/core/states.js';
import type { LedgerEntry } from '../../src/sandbox/heygen/billing.js';
import type { SandboxCrm } from '../../src/sandbox/hubspot/server.js';
import type { RenderRow } from '../../src/store/schema.js';
import type { ChaosRecord } from './scenario.js';

export interface HeyGenFailure {
  code: string;
  message: string;
}

export interface VerifyInput {
  records: readonly ChaosRecord[];
  crm: Pick<SandboxCrm, 'get'>;
  ledger: readonly LedgerEntry[];
  renders: readonly RenderRow[];
  /** Failure code and message of each failed video, as HeyGen's API reports them. */
  failures: ReadonlyMap<string, HeyGenFailure>;
  /** Reelay's PUBLIC_URL: COMPLETED records link to `${publicUrl}/v/...`. */
  publicUrl: string;
  pendingWrites: number;
}

export interface Problem {
  text: string;
  /** Renders whose timelines explain the problem. */
  renderIds: number[];
}

export interface Outcomes {
  completed: number;
  failed: number;
  skipped: number;
}

export interface Verdict {
  problems: Problem[];
  outcomes: Outcomes;
  /** Render keys billed more than once, and records billed more than once. */
  duplicateBilling: { keys: number; records: number };
}

type Report = (text: string, renderIds?: number[]) => void;

interface RenderIndex {
  byRecord: Map<string, RenderRow[]>;
  byKey: Map<string, RenderRow>;
}

const recordKey = (campaign: string, objectType: string, objectId: string) => `${campaign}|${objectType}/${objectId}`;

export function verify(input: VerifyInput): Verdict {
  const problems: Problem[] = [];
  const report: Report = (text, renderIds = []) => problems.push({ text, renderIds });
  const index = indexRenders(input.renders);

  checkStore(input, report);
  const ledger = checkLedger(input.ledger, index, report);
  const known = new Set(input.records.map((r) => recordKey(r.campaign, r.objectType, r.objectId)));
  for (const [key, rows] of index.byRecord) {
    if (!known.has(key)) report(`renders for ${key}, a record no trigger was fired for`, rows.map((r) => r.id));
  }

  const outcomes: Outcomes = { completed: 0, failed: 0, skipped: 0 };
  let recordsBilledTwice = 0;
  for (const record of input.records) {
    const outcome = checkRecord(record, input, index, ledger.entriesByKey, report);
    if (outcome === 'billed twice') recordsBilledTwice += 1;
    else if (outcome) outcomes[outcome] += 1;
  }
  return { problems, outcomes, duplicateBilling: { keys: ledger.keysBilledTwice, records: recordsBilledTwice } };
}

function indexRenders(renders: readonly RenderRow[]): RenderIndex {
  const byRecord = new Map<string, RenderRow[]>();
  const byKey = new Map<string, RenderRow>();
  for (const row of renders) {
    const key = recordKey(row.campaign_id, row.object_type, row.object_id);
    byRecord.set(key, [...(byRecord.get(key) ?? []), row]);
    if (row.render_key !== null) byKey.set(row.render_key, row);
  }
  return { byRecord, byKey };
}

/** Nothing left half-done: no live render, no queued CRM write. */
function checkStore(input: VerifyInput, report: Report): void {
  for (const row of input.renders) {
    if ((liveStates as readonly RenderState[]).includes(row.state)) {
      report(`render #${row.id} (${row.campaign_id} ${row.object_type}/${row.object_id}) is still ${row.state}`, [row.id]);
    }
  }
  if (input.pendingWrites > 0) report(`${input.pendingWrites} CRM writes are still queued in the outbox`);
}

/** One accepted create per render key, each final at HeyGen, each traceable to a render of ours. */
function checkLedger(ledger: readonly LedgerEntry[], index: RenderIndex, report: Report): { entriesByKey: Map<string, LedgerEntry[]>; keysBilledTwice: number } {
  const entriesByKey = new Map<string, LedgerEntry[]>();
  for (const entry of ledger) {
    if (entry.status !== 'completed' && entry.status !== 'failed') report(`HeyGen video ${entry.video_id} is still ${entry.status}`);
    const parsed = entry.callback_id === null ? undefined : parseSubmissionKey(entry.callback_id);
    if (!parsed) {
      report(`HeyGen video ${entry.video_id} carries callback_id ${String(entry.callback_id)}, not a render key`);
      continue;
    }
    entriesByKey.set(parsed.renderKey, [...(entriesByKey.get(parsed.renderKey) ?? []), entry]);
  }
  let keysBilledTwice = 0;
  for (const [key, entries] of entriesByKey) {
    const render = index.byKey.get(key);
    if (!render) report(`HeyGen video ${entries[0]?.video_id} has callback id ${key.slice(0, 15)}…, which no render in the store carries`);
    if (entries.length > 1) {
      if (entries.filter((e) => e.billed).length > 1) keysBilledTwice += 1;
      const list = entries.map((e) => `${e.video_id} ${e.status}`).join(', ');
      report(`render key ${key.slice(0, 15)}… was created ${entries.length} times at HeyGen (${list})`, render ? [render.id] : []);
    }
  }
  return { entriesByKey, keysBilledTwice };
}

/** The record's CRM properties show the outcome HeyGen actually had (or why it was skipped). */
function checkRecord(
  record: ChaosRecord,
  input: VerifyInput,
  index: RenderIndex,
  entriesByKey: Map<string, LedgerEntry[]>,
  report: Report,
): keyof Outcomes | 'billed twice' | null {
  const rows = index.byRecord.get(recordKey(record.campaign, record.objectType, record.objectId)) ?? [];
  const props = input.crm.get(record.objectType, record.objectId)?.properties ?? {};
  const where = `${record.campaign} ${record.objectType}/${record.objectId}`;
  if (rows.length === 0) {
    report(`${where}: no render in the store: Reelay has no trace of its trigger`);
    return null;
  }
  if (!record.fit) {
    checkSkipped(record, rows, props, where, report);
    return 'skipped';
  }

  const keys = [...new Set(rows.map((r) => r.render_key).filter((k): k is string => k !== null))];
  if (keys.length !== 1) report(`${where}: ${keys.length} distinct render keys for unchanged data`, rows.map((r) => r.id));
  const owner = keys.length === 1 ? index.byKey.get(keys[0] as string) : undefined;
  const ids = owner ? [owner.id] : rows.map((r) => r.id);
  for (const row of rows) {
    if (row !== owner && row.state !== 'duplicate') report(`${where}: render #${row.id} is ${row.state}, expected a duplicate of #${owner?.id}`, [row.id]);
  }
  const entries = keys.flatMap((k) => entriesByKey.get(k) ?? []);
  if (entries.filter((e) => e.billed).length > 1) return 'billed twice';
  const entry = entries[0];
  if (!entry) {
    const state = owner ? `render #${owner.id} is ${owner.state}: ${owner.error_code ?? ''} ${owner.error_message ?? ''}` : 'no render has a key';
    report(`${where}: nothing was created at HeyGen (${state})`, ids);
    return null;
  }
  if (entry.status === 'completed') {
    checkCompleted(entry, owner, props, input.publicUrl, where, ids, report);
    return 'completed';
  }
  checkFailed(entry, owner, props, input.failures.get(entry.video_id), where, ids, report);
  return 'failed';
}

function checkSkipped(record: ChaosRecord, rows: RenderRow[], props: Record<string, string>, where: string, report: Report): void {
  const ids = rows.map((r) => r.id);
  const wrong = rows.filter((r) => r.state !== 'skipped' && r.state !== 'duplicate');
  if (wrong.length > 0) report(`${where} has unfit data but render(s) ${wrong.map((r) => `#${r.id} ${r.state}`).join(', ')}`, wrong.map((r) => r.id));
  if (props.heygen_render_status !== undefined) report(`${where} has unfit data but heygen_render_status ${props.heygen_render_status}`, ids);
  const error = props.heygen_render_error ?? '';
  if (!record.skipReason?.test(error)) report(`${where}: heygen_render_error is ${JSON.stringify(error)}, expected ${String(record.skipReason)}`, ids);
}

function checkCompleted(entry: LedgerEntry, owner: RenderRow | undefined, props: Record<string, string>, publicUrl: string, where: string, ids: number[], report: Report): void {
  if (props.heygen_render_status !== 'COMPLETED') report(`${where}: HeyGen completed ${entry.video_id} but the CRM shows ${props.heygen_render_status ?? 'no status'}`, ids);
  if (props.heygen_job_id !== entry.video_id) report(`${where}: heygen_job_id ${props.heygen_job_id ?? 'unset'}, expected ${entry.video_id}`, ids);
  if (!props.heygen_video_url?.startsWith(`${publicUrl}/v/`)) report(`${where}: heygen_video_url ${props.heygen_video_url ?? 'unset'} is not a stable link`, ids);
  if ((props.heygen_render_error ?? '') !== '') report(`${where}: COMPLETED but heygen_render_error ${JSON.stringify(props.heygen_render_error)}`, ids);
  if (owner && owner.state !== 'completed') report(`${where}: HeyGen completed ${entry.video_id} but render #${owner.id} is ${owner.state}`, ids);
}

function checkFailed(
  entry: LedgerEntry,
  owner: RenderRow | undefined,
  props: Record<string, string>,
  failure: HeyGenFailure | undefined,
  where: string,
  ids: number[],
  report: Report,
): void {
  if (props.heygen_render_status !== 'FAILED') report(`${where}: HeyGen failed ${entry.video_id} but the CRM shows ${props.heygen_render_status ?? 'no status'}`, ids);
  if (props.heygen_job_id !== entry.video_id) report(`${where}: heygen_job_id ${props.heygen_job_id ?? 'unset'}, expected ${entry.video_id}`, ids);
  const error = props.heygen_render_error ?? '';
  if (!failure) report(`${where}: HeyGen's API gave no failure for ${entry.video_id}`, ids);
  else if (!error.startsWith(`${failure.code}: `) || !error.includes(failure.message)) {
    report(`${where}: heygen_render_error ${JSON.stringify(error)} does not carry HeyGen's ${failure.code}: ${failure.message}`, ids);
  }
  if (owner && owner.state !== 'failed') report(`${where}: HeyGen failed ${entry.video_id} but render #${owner.id} is ${owner.state}`, ids);
}

/** Ledger rows added since `before`: the second pass must add none. */
export function newLedgerEntries(before: readonly LedgerEntry[], after: readonly LedgerEntry[]): LedgerEntry[] {
  const seen = new Set(before.map((e) => e.video_id));
  return after.filter((e) => !seen.has(e.video_id));
}
