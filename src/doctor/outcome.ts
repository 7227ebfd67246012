/** One doctor check's verdict: a line, and for a failure the fix. */
export type CheckOutcome = { ok: true; text: string } | { ok: false; text: string; fix: string };

export const pass = (text: string): CheckOutcome => ({ ok: true, text });
export const fail = (text: string, fix: string): CheckOutcome => ({ ok: false, text, fix });

/** A section of the report: a title and the outcomes under it. */
export interface CheckSection {
  title: string;
  outcomes: CheckOutcome[];
}
