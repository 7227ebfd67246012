/**
 * `reelay setup --hubspot-project DIR`: writes the HubSpot developer project
 * for Reelay's app into DIR (created if needed; only Reelay's three files are
 * written, the same bytes each time) and prints the steps only the user can
 * take. Touches no API.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ReelayConfig } from '../config/schema.js';
import { hubspotProjectFiles, propertySubscriptions, hubspotWebhookTarget, type ProjectFile } from './hubspot-project.js';
import { detailLines, heading, okLine, type TextOut } from './report-lines.js';

export interface WriteProjectOptions {
  config: ReelayConfig;
  publicUrl: string;
  dir: string;
  out: TextOut;
}

export async function writeHubSpotProject(opts: WriteProjectOptions): Promise<ProjectFile[]> {
  const { config, publicUrl, dir, out } = opts;
  const files = hubspotProjectFiles(config, publicUrl);
  heading(out, `HubSpot project in ${dir}`);
  for (const file of files) {
    const target = join(dir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    okLine(out, `${file.path} written`);
  }
  const subscriptions = propertySubscriptions(config);
  if (subscriptions.length === 0) {
    detailLines(out, ['no campaign has a `trigger`, so the app subscribes to nothing (workflow webhooks with ?campaign= need no subscription)']);
  } else {
    detailLines(out, [
      `HubSpot will deliver to ${hubspotWebhookTarget(publicUrl)}:`,
      ...subscriptions.map((s) => `  object.propertyChange on ${s.objectType}.${s.propertyName}`),
    ]);
  }
  heading(out, 'Next steps (in HubSpot and its CLI, `npm install -g @hubspot/cli`)');
  detailLines(out, [
    `1. cd ${dir} && hs project upload        (hs account auth first, if the CLI is not yet connected)`,
    '2. in HubSpot: Development → Projects → reelay → under Project Components, the app Reelay: install it in your account',
    '3. on that app\'s Auth tab copy the static access token and the client secret into the environment:',
    '     HUBSPOT_ACCESS_TOKEN=<static access token>',
    '     HUBSPOT_CLIENT_SECRET=<client secret>      (it signs the webhooks HubSpot sends)',
    '4. run `reelay setup` (properties, HeyGen endpoint), then `reelay doctor`',
  ]);
  return files;
}
