/**
 * Why HeyGen failed each failed video, read from its status API: the code
 * and message the CRM's `heygen_render_error` must carry. Faults are lifted
 * for these reads (they are the test's, not Reelay's) and put back after.
 */
import type { Sandbox } from '../../src/sandbox/index.js';
import type { HeyGenFailure } from './verify.js';

const STATUS_BATCH = 100;

interface StatusItem {
  video_id: string;
  status: string;
  error: { code: string; message: string } | null;
}

export class HeyGenReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeyGenReadError';
  }
}

export async function fetchHeyGenFailures(sandbox: Sandbox, apiKey: string, videoIds: readonly string[]): Promise<Map<string, HeyGenFailure>> {
  const failures = new Map<string, HeyGenFailure>();
  if (videoIds.length === 0) return failures;
  const saved = sandbox.heygen.control.faults();
  sandbox.heygen.control.clearFaults();
  try {
    for (let i = 0; i < videoIds.length; i += STATUS_BATCH) {
      const ids = videoIds.slice(i, i + STATUS_BATCH).join(',');
      const response = await fetch(`${sandbox.heygen.url}/v3/videos/statuses?video_ids=${encodeURIComponent(ids)}`, { headers: { 'x-api-key': apiKey } });
      if (response.status !== 200) throw new HeyGenReadError(`GET /v3/videos/statuses answered ${response.status}`);
      const body = (await response.json()) as { data: StatusItem[] };
      for (const item of body.data) {
        if (item.error) failures.set(item.video_id, { code: item.error.code, message: item.error.message });
      }
    }
  } finally {
    sandbox.heygen.control.setFaults(saved);
  }
  return failures;
}
