/**
 * The outbox's effect kinds, by the name stored in `outbox.kind`. A new kind
 * is a file defining its `EffectKind` (`kind.ts`) and one line here.
 */
import { engagementKind } from './engagement.js';
import type { EffectSender } from './kind.js';
import { noteKind } from './note.js';
import { sendPropertyWrites } from './properties.js';

export const effectSenders: ReadonlyMap<string, EffectSender> = new Map<string, EffectSender>([
  ['properties', sendPropertyWrites],
  [noteKind.name, noteKind.send],
  [engagementKind.name, engagementKind.send],
]);
