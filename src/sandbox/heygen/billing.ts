/**
 * What would have been paid for. One ledger row per accepted create (replays
 * never add one); test renders are free and absent; a failed render keeps its
 * row, marked not billed, and gives its credit back.
 */
import type { VideoRecord, VideoStatus } from './video-store.js';

export interface LedgerEntry {
  video_id: string;
  api: 'v3' | 'v2';
  template_id: string;
  title: string | null;
  callback_id: string | null;
  idempotency_key: string | null;
  variables: Record<string, string>;
  /** Text variables rendered as literal placeholders (`missingTextVariables: 'placeholder'`). */
  unfilled_variables: string[];
  created_at: string;
  status: VideoStatus;
  billed: boolean;
  /** Seconds billed, once known. */
  duration: number | null;
}

export interface Ledger {
  entries: LedgerEntry[];
  billed: number;
}

export class Billing {
  private rows: VideoRecord[] = [];
  private balance: number | null;

  constructor(private readonly initialCredits: number | null) {
    this.balance = initialCredits;
  }

  get credits(): number | null {
    return this.balance;
  }

  set credits(value: number | null) {
    this.balance = value;
  }

  canAfford(): boolean {
    return this.balance === null || this.balance > 0;
  }

  /** Records an accepted create; a test render costs nothing and is not listed. */
  charge(video: VideoRecord): void {
    if (video.test) return;
    this.rows.push(video);
    if (this.balance !== null) this.balance--;
  }

  /** A failed render is not billed. */
  refund(video: VideoRecord): void {
    if (!video.test && this.balance !== null) this.balance++;
  }

  ledger(): Ledger {
    const entries = this.rows.map(toEntry);
    return { entries, billed: entries.filter((e) => e.billed).length };
  }

  reset(): void {
    this.rows = [];
    this.balance = this.initialCredits;
  }
}

function toEntry(video: VideoRecord): LedgerEntry {
  return {
    video_id: video.id,
    api: video.api,
    template_id: video.templateId,
    title: video.title,
    callback_id: video.callbackId,
    idempotency_key: video.idempotencyKey,
    variables: { ...video.variables },
    unfilled_variables: [...video.unfilledVariables],
    created_at: new Date(video.createdAtMs).toISOString(),
    status: video.status,
    billed: video.status !== 'failed',
    duration: video.durationS,
  };
}
