/**
 * `reelay forget` as a user runs it, on a database a service left behind
 * and with HeyGen (the sandbox) reachable: what it prints, its exit codes,
 * that a second run is harmless and a bad request changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { runCli, tempDir, type TempDir } from '../helpers/cli.js';
import { startHarness, TEST_CONFIG, type Harness } from '../helpers/harness.js';

const CLI_TIMEOUT = 120_000;

describe('reelay forget', () => {
  let h: Harness;
  let dir: TempDir;
  let env: Record<string, string>;
  let contactId = '';
  const videos: string[] = [];

  async function dump(): Promise<string> {
    const store = openStore(h.database.url);
    try {
      const tables = ['renders', 'render_timeline', 'events', 'outbox', 'video_deletions'] as const;
      return JSON.stringify(await Promise.all(tables.map((t) => store.db.selectFrom(t).selectAll().execute())));
    } finally {
      await store.close();
    }
  }

  async function heygenStatus(videoId: string): Promise<number> {
    const res = await fetch(`${h.env.heygenApiBase}/v3/videos/${videoId}`, { headers: { 'x-api-key': h.secrets.heygenApiKey } });
    await res.arrayBuffer();
    return res.status;
  }

  beforeAll(async () => {
    h = await startHarness({ dialect: 'sqlite' });
    dir = tempDir();
    contactId = h.sandbox.hubspot.crm.create('contacts', { firstname: 'Ottoline', company: 'Morrell Press' }).id;
    expect((await h.postHubSpot({ hs_object_id: Number(contactId), firstname: 'Ottoline' }, { query: '?campaign=bdr-intro' })).status).toBe(200);
    const done = await h.waitFor(
      async () => h.service.store.db.selectFrom('renders').select('video_id').where('object_id', '=', contactId).where('state', '=', 'completed').executeTakeFirst(),
      30_000,
      'the video rendered',
    );
    videos.push(done.video_id as string);
    await h.settled();
    // A second render stays under way at HeyGen: forget cancels it.
    h.sandbox.heygen.control.setFaults({ stuckRate: 1 });
    const trigger = { hs_object_id: Number(contactId), firstname: 'Ottoline', contract_end_date: '2027-01-01' };
    h.sandbox.hubspot.crm.update('contacts', contactId, { contract_end_date: '2027-01-01' });
    expect((await h.postHubSpot(trigger, { query: '?campaign=renewal' })).status).toBe(200);
    const live = await h.waitFor(
      async () => h.service.store.db.selectFrom('renders').select('video_id').where('campaign_id', '=', 'renewal').where('state', '=', 'rendering').where('video_id', 'is not', null).executeTakeFirst(),
      30_000,
      'the renewal render under way',
    );
    videos.push(live.video_id as string);
    await h.service.stop();
    env = {
      DATABASE_URL: h.database.url,
      REELAY_CONFIG: dir.write('reelay.yaml', TEST_CONFIG),
      HEYGEN_API_KEY: h.secrets.heygenApiKey,
      HEYGEN_API_BASE: h.env.heygenApiBase,
    };
  }, CLI_TIMEOUT);
  afterAll(async () => {
    await h?.sandbox.close();
    await h?.database.drop();
    dir?.remove();
  });

  it('an unknown object type exits 2 with one line naming it, and changes nothing', { timeout: CLI_TIMEOUT }, async () => {
    const before = await dump();
    const result = await runCli(['forget', '--object', 'people', '--id', contactId], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^reelay: unknown object type "people" \(one of contacts, /);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    const noId = await runCli(['forget', '--object', 'contacts'], { env });
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain('--id N');
    expect(await dump()).toBe(before);
  });

  it('erases the person, cancels the live render, deletes both videos at HeyGen and says what it did; a second run finds nothing', { timeout: CLI_TIMEOUT }, async () => {
    const first = await runCli(['forget', '--object', 'contacts', '--id', contactId], { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`forgot contacts/${contactId}:`);
    expect(first.stdout).toMatch(/live renders cancelled:\s+1/);
    expect(first.stdout).toMatch(/renders anonymised:\s+2/);
    expect(first.stdout).toMatch(/HeyGen videos to delete:\s+2/);
    expect(first.stdout).toContain('HeyGen: 2 video(s) deleted');
    for (const video of videos) expect(await heygenStatus(video)).toBe(404);
    // Billed once each, still.
    for (const video of videos) expect(h.sandbox.heygen.ledger().filter((e) => e.video_id === video)).toHaveLength(1);
    const after = await dump();
    expect(after).not.toContain('Ottoline');
    expect(after).not.toContain(`"object_id":"${contactId}"`);

    const second = await runCli(['forget', '--object', 'contact', '--id', contactId], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(`forgot contacts/${contactId}: nothing stored about it (already forgotten, or never seen)\n`);
    expect(await dump()).toBe(after);
  });
});
