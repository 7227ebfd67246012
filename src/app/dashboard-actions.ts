/**
 * What an operator can do to one render from the dashboard: a table, so a
 * new action is one row. Each row says which states it
 * applies to (the page offers it only there) and runs through the engine's
 * operations, which check again and change the render through the
 * lifecycle, noting on the timeline that an operator did it via the
 * dashboard.
 */
import { liveStates, reviewStates, type RenderState } from '../core/states.js';
import { approveRender, cancelOne, rejectRender, retryAllFailed, retryOne, RETRYABLE, type LifecycleContext, type OperationResult } from './render-actions.js';

export type { OperationResult };

export const DASHBOARD = 'the dashboard';

export interface RenderAction {
  /** The path segment: `POST /dashboard/renders/:id/NAME`. */
  name: string;
  /** The button's text. */
  label: string;
  /** The question the confirmation step asks. */
  confirm: string;
  allowedStates: readonly RenderState[];
  /** Text the operator must give on the confirmation page (a reject's reason); none by default. */
  fields?: readonly { name: string; label: string }[];
  /** `input`: the `fields`, each given and non-empty. */
  run(ctx: LifecycleContext, id: number, input: Readonly<Record<string, string>>): Promise<OperationResult>;
}

export const renderActions: RenderAction[] = [
  {
    name: 'retry',
    label: 'Retry',
    confirm: 'Re-queue this render from the start? A new HeyGen render may be created and billed.',
    allowedStates: RETRYABLE,
    run: (ctx, id) => retryOne(ctx, id, DASHBOARD),
  },
  {
    name: 'cancel',
    label: 'Cancel',
    confirm: 'Cancel this render? If HeyGen is already rendering it, HeyGen may still finish and bill it.',
    allowedStates: [...liveStates, ...reviewStates],
    run: (ctx, id) => cancelOne(ctx, id, DASHBOARD),
  },
  {
    name: 'approve',
    label: 'Approve',
    confirm: 'Approve this video? Its link goes to the CRM record, which can send it to the person at once.',
    allowedStates: reviewStates,
    run: (ctx, id) => approveRender(ctx, id, DASHBOARD),
  },
  {
    name: 'reject',
    label: 'Reject',
    confirm: 'Reject this video? The render fails with your reason, and the CRM record shows it. HeyGen has already billed it.',
    allowedStates: reviewStates,
    fields: [{ name: 'reason', label: 'Reason' }],
    run: (ctx, id, input) => rejectRender(ctx, id, input.reason ?? '', DASHBOARD),
  },
];

export function renderActionNamed(name: string): RenderAction | undefined {
  return renderActions.find((a) => a.name === name);
}

export function actionsFor(state: RenderState): RenderAction[] {
  return renderActions.filter((a) => a.allowedStates.includes(state));
}

/** Every failed render of one campaign, re-queued. */
export function retryFailedOfCampaign(ctx: LifecycleContext, campaignId: string): Promise<{ retried: number; refused: number }> {
  return retryAllFailed(ctx, campaignId, DASHBOARD);
}
