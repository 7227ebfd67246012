/** Printing: the machine header and one table of figures against targets per scenario. */
import { cpus, loadavg, totalmem } from 'node:os';

export type Verdict = 'ok' | 'MISS' | '';

export interface Figure {
  name: string;
  value: string;
  target?: string;
  verdict?: Verdict;
}

export function machineLine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  return `machine: ${list.length} cores, ${model}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, node ${process.version}, ${process.platform}/${process.arch}`;
}

/** Other work on the machine skews every figure: say how busy it was. */
export function loadLine(): string {
  const [one, five] = loadavg();
  const cores = cpus().length;
  const busy = (one ?? 0) > cores * 0.5 ? `  WARNING: the machine is busy with other work; figures are pessimistic` : '';
  return `load average: ${fixed(one ?? 0, 2)} (1 min), ${fixed(five ?? 0, 2)} (5 min) on ${cores} cores${busy}`;
}

/** Verdict of a figure that must stay at or below a limit. */
export function atMost(value: number, limit: number): Verdict {
  return value <= limit ? 'ok' : 'MISS';
}

/** Verdict of a figure that must reach at least a floor. */
export function atLeast(value: number, floor: number): Verdict {
  return value >= floor ? 'ok' : 'MISS';
}

/** The p-th percentile of ascending `sorted` (nearest rank); 0 for none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export function fixed(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function printTable(title: string, lines: { notes: string[]; figures: Figure[]; command: string }): void {
  const rows = lines.figures.map((f) => [f.name, f.value, f.target ?? '', f.verdict ?? '']);
  const header = ['figure', 'measured', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ').trimEnd();
  const out: string[] = ['', `== ${title} ==`, ...lines.notes.map((n) => `  ${n}`), '', `  ${format(header)}`];
  out.push(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) out.push(`  ${format(row)}`);
  out.push('', `  ${loadLine()}`, `  reproduce: ${lines.command}`, '');
  process.stdout.write(`${out.join('\n')}\n`);
}

export function progress(message: string): void {
  process.stderr.write(`  · ${message}\n`);
}
