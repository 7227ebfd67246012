/**
 * The sandbox's control surface, in-process. `/_sandbox/*` exposes the same
 * operations over HTTP. Invalid input throws `ConfigError` naming the key.
 */
import type { FaultPatch, FaultSettings } from './faults.js';
import type { Limits, LimitsPatch } from './limits.js';
import type { SandboxState } from './state.js';
import { parseTemplate } from './template-schema.js';
import type { SandboxTemplate } from './templates.js';

export interface HeyGenSandboxControl {
  faults(): FaultSettings;
  /** Merges into the current faults (ranges also as a single number). */
  setFaults(patch: FaultPatch): FaultSettings;
  /** Every fault off, render failures included. */
  clearFaults(): FaultSettings;
  limits(): Limits;
  setLimits(patch: LimitsPatch): Limits;
  templates(): SandboxTemplate[];
  /** Adds or replaces a template. */
  putTemplate(template: SandboxTemplate): void;
  removeTemplate(id: string): boolean;
  /** Forgets every render, key, event, statistic and API-registered endpoint; faults, limits and templates go back to the start options. */
  reset(): void;
}

export function createControl(state: SandboxState): HeyGenSandboxControl {
  return {
    faults: () => state.faults.current,
    setFaults: (patch) => state.faults.patch(patch),
    clearFaults: () => state.faults.clear(),
    limits: () => state.limits(),
    setLimits: (patch) => state.setLimits(patch),
    templates: () => state.templates.list(),
    putTemplate: (template) => state.templates.put(parseTemplate(template)),
    removeTemplate: (id) => state.templates.remove(id),
    reset: () => state.reset(),
  };
}
