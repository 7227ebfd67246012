import type { Random } from '../../../core/clock.js';
import type { WebhookSettings } from './settings.js';

/** Delay before retry number `attempt` (1 = first retry): doubling from `retryDelayMs`, capped, jittered to 50-100 %. */
export function retryDelay(attempt: number, settings: Pick<WebhookSettings, 'retryDelayMs' | 'retryMaxDelayMs'>, random: Random): number {
  const exponential = settings.retryDelayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(settings.retryMaxDelayMs, exponential);
  return Math.round(capped * (0.5 + random() * 0.5));
}
