/**
 * One doctor check's verdict: a line, and for a failure the fix. A warning
 * passes (exit code 0) but carries advice: something works today and will
 * stop, or works only locally.
 */
export type CheckOutcome = { ok: true; text: string; advice?: string } | { ok: false; text: string; fix: string };

export const pass = (text: string): CheckOutcome => ({ ok: true, text });
export const warn = (text: string, advice: string): CheckOutcome => ({ ok: true, text, advice });
export const fail = (text: string, fix: string): CheckOutcome => ({ ok: false, text, fix });

/** A section of the report: a title and the outcomes under it. */
export interface CheckSection {
  title: string;
  outcomes: CheckOutcome[];
}
