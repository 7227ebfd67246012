/** The demo's closing table, read back from Reelay's store and the sandbox (the CRM and HeyGen's ledger). */
import type { ReelayConfig } from '../config/schema.js';
import type { Sandbox } from '../sandbox/index.js';
import type { SandboxObjectType } from '../sandbox/hubspot/server.js';
import type { Service } from '../service.js';

export interface DemoSummary {
  triggered: number;
  byCampaign: Record<string, { triggered: number; completed: number; skipped: number; failed: number }>;
  skipped: { campaign: string; object: string; reason: string }[];
  rendered: number;
  failed: number;
  writtenBack: number;
  hubspotCalls: number;
  /** HubSpot calls by the API version of their path (`2026-03`, `v3`, `v4`). */
  hubspotCallsByVersion: Record<string, number>;
  /** Subscription events received, by form: generic `object.*` or legacy `contact.*`/`deal.*`. */
  subscriptionEvents: { generic: number; legacy: number };
  hubspot429s: number;
  creditsBilled: number;
  duplicatesBilled: number;
}

export async function collectSummary(service: Service, sandbox: Sandbox, config: ReelayConfig): Promise<DemoSummary> {
  const renders = await service.store.db.selectFrom('renders').selectAll().where('state', '!=', 'duplicate').execute();
  const statusProperty = config.hubspot.properties.status;
  const byCampaign: DemoSummary['byCampaign'] = {};
  const skipped: DemoSummary['skipped'] = [];
  let writtenBack = 0;
  for (const r of renders) {
    const row = (byCampaign[r.campaign_id] ??= { triggered: 0, completed: 0, skipped: 0, failed: 0 });
    row.triggered += 1;
    if (r.state === 'completed') row.completed += 1;
    if (r.state === 'failed') row.failed += 1;
    if (r.state === 'skipped') {
      row.skipped += 1;
      skipped.push({ campaign: r.campaign_id, object: `${r.object_type}/${r.object_id}`, reason: r.error_message ?? '' });
    }
    const record = sandbox.hubspot.crm.get(r.object_type as SandboxObjectType, r.object_id);
    if (r.state === 'completed' && record?.properties[statusProperty] === 'COMPLETED') writtenBack += 1;
  }
  const ledger = sandbox.heygen.ledger().filter((e) => e.billed);
  const keys = ledger.map((e) => e.callback_id ?? e.video_id);
  const stats = sandbox.hubspot.stats();
  const subscriptionEvents = { generic: 0, legacy: 0 };
  const events = await service.store.db.selectFrom('events').select('payload').where('kind', '=', 'subscription').execute();
  for (const e of events) {
    const type = (JSON.parse(e.payload) as { subscriptionType?: unknown }).subscriptionType;
    if (typeof type === 'string') subscriptionEvents[type.startsWith('object.') ? 'generic' : 'legacy'] += 1;
  }
  return {
    triggered: renders.length,
    byCampaign,
    skipped,
    rendered: renders.filter((r) => r.state === 'completed').length,
    failed: renders.filter((r) => r.state === 'failed').length,
    writtenBack,
    hubspotCalls: stats.totalRequests,
    hubspotCallsByVersion: stats.apiVersions,
    subscriptionEvents,
    hubspot429s: stats.statuses['429'] ?? 0,
    creditsBilled: ledger.length,
    duplicatesBilled: keys.length - new Set(keys).size,
  };
}

export function formatSummary(s: DemoSummary): string {
  const lines: string[] = [];
  const row = (cells: (string | number)[]) => lines.push(cells.map((c, i) => (i === 0 ? String(c).padEnd(14) : String(c).padStart(10))).join(''));
  row(['campaign', 'triggered', 'rendered', 'skipped', 'failed']);
  for (const [id, c] of Object.entries(s.byCampaign).sort()) row([id, c.triggered, c.completed, c.skipped, c.failed]);
  row(['total', s.triggered, s.rendered, s.skipped.length, s.failed]);
  lines.push('');
  if (s.skipped.length > 0) {
    lines.push('skipped (no credit spent; the reason is in heygen_render_error):');
    for (const k of s.skipped) lines.push(`  ${k.campaign.padEnd(12)} ${k.object.padEnd(18)} ${k.reason}`);
    lines.push('');
  }
  lines.push(`written back to HubSpot (COMPLETED + link): ${s.writtenBack} of ${s.rendered}`);
  lines.push(`HubSpot API calls: ${s.hubspotCalls} (${s.rendered > 0 ? (s.hubspotCalls / s.rendered).toFixed(2) : '-'} per video), 429s: ${s.hubspot429s}`);
  const byVersion = Object.entries(s.hubspotCallsByVersion).sort().map(([version, n]) => `${version} ${n}`);
  lines.push(`HubSpot API paths: ${byVersion.join(', ') || 'none'}`);
  lines.push(`HubSpot subscription events: ${s.subscriptionEvents.generic} generic (object.*), ${s.subscriptionEvents.legacy} legacy`);
  lines.push(`HeyGen credits billed: ${s.creditsBilled} render(s), ${s.duplicatesBilled} paid twice`);
  return lines.join('\n');
}
