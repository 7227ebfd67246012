/**
 * How `setup` and `doctor` print outcomes: one line each, a green tick or a
 * red cross (colour only on a terminal), and under a failure the fix.
 */

/** Where a command writes; `process.stdout` is one. */
export interface TextOut {
  write(text: string): unknown;
  isTTY?: boolean;
}

const GREEN = '\u001b[32m';
const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

function paint(out: TextOut, code: string, text: string): string {
  return out.isTTY === true ? `${code}${text}${RESET}` : text;
}

export function heading(out: TextOut, text: string): void {
  out.write(`${paint(out, BOLD, text)}\n`);
}

export function okLine(out: TextOut, text: string): void {
  out.write(`  ${paint(out, GREEN, '✓')} ${text}\n`);
}

export function badLine(out: TextOut, text: string, fix?: string): void {
  out.write(`  ${paint(out, RED, '✗')} ${text}\n`);
  if (fix !== undefined) out.write(`      ${paint(out, YELLOW, 'fix:')} ${fix}\n`);
}

/** Works, but with advice (yellow `!`): e.g. something that goes unsupported on a known date. */
export function warnLine(out: TextOut, text: string, advice: string): void {
  out.write(`  ${paint(out, YELLOW, '!')} ${text}\n`);
  out.write(`      ${paint(out, YELLOW, 'advice:')} ${advice}\n`);
}

/** Indented lines under the previous one (instructions, secrets to store). */
export function detailLines(out: TextOut, lines: readonly string[]): void {
  for (const line of lines) out.write(`      ${line}\n`);
}
