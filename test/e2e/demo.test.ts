/**
 * `reelay demo --seed 42`: the whole flow on this machine with no accounts,
 * as a new user first runs it. The seed fixes the scenario: 25 records
 * triggered, 21 rendered, 4 skipped (placeholder or missing data), every
 * video written back, nothing paid twice.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('reelay demo', () => {
  it('--seed 42 renders 21 of 25, skips 4 with reasons, writes all back and pays for nothing twice', { timeout: 150_000 }, async () => {
    const result = await runCli(['demo', '--seed', '42'], { timeoutMs: 140_000 });
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;

    expect(out).toMatch(/^total\s+25\s+21\s+4\s+0$/m);
    expect(out).toMatch(/^seeded:\s+25 records to trigger/m);

    const skippedSection = out.split('skipped (no credit spent; the reason is in heygen_render_error):\n')[1] ?? '';
    const skipped = skippedSection.split('\n\n')[0]?.split('\n').filter((line) => line.trim() !== '') ?? [];
    expect(skipped).toHaveLength(4);
    for (const line of skipped) expect(line).toMatch(/^\s+[\w-]+\s+(contacts|deals)\/\d+\s+\w+: property \S+ is (missing|a placeholder)/);

    expect(out).toContain('written back to HubSpot (COMPLETED + link): 21 of 21');
    expect(out).toMatch(/HeyGen credits billed: 21 render\(s\), 0 paid twice/);
    // HubSpot's current path: date-based API paths only, generic object.* events only, the portal's own midnight.
    expect(out).toMatch(/^hubspot: API 2026-03 paths, generic object\.\* events, daily limit resets at midnight America\/New_York$/m);
    expect(out).toMatch(/^HubSpot API paths: 2026-03 \d+$/m);
    expect(out).toMatch(/^HubSpot subscription events: [1-9]\d* generic \(object\.\*\), 0 legacy$/m);
    // One video page and its e-mail thumbnail to open; not a terminal, so the demo ended after the summary.
    expect(out).toMatch(/^video page: http:\/\/127\.0\.0\.1:\d+\/v\/[A-Za-z0-9_-]{32}$/m);
    expect(out).toMatch(/^thumbnail:  http:\/\/127\.0\.0\.1:\d+\/v\/[A-Za-z0-9_-]{32}\/thumbnail\.gif$/m);
    expect(out).not.toContain('until Ctrl-C');
  });
});
