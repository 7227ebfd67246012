/**
 * What to do after a step of a render failed: try again later, fail the
 * render, or pause a provider's whole queue because the account (not this
 * render) is the problem.
 */
import type { Random } from './clock.js';
import { isProviderError, type Provider, type ProviderError } from './errors.js';
import { retryDelay } from './backoff.js';
import { describeProviderFailure } from './failure-text.js';

export interface FailureContext {
  error: unknown;
  /** The attempt that just failed, from 1. */
  attempt: number;
  maxAttempts: number;
  baseMs: number;
  capMs: number;
  random: Random;
  /** The render's HeyGen template, named in "template does not exist". */
  templateId?: string;
}

/** A pause's `resumeAfterMs` is the provider's own estimate of when the account works again, when it gave one. */
export type FailureDecision =
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'fail'; code: string; reason: string }
  | { kind: 'pause'; scope: Provider; code: string; reason: string; resumeAfterMs?: number };

/** Longest `heygen_render_error` Reelay writes. */
export const CRM_ERROR_MAX_LENGTH = 500;

const UNEXPECTED_ERROR_CODE = 'internal_error';

function errorCode(error: ProviderError): string {
  if (error.code !== '') return error.code;
  return error.status === undefined ? 'unknown' : `http_${error.status}`;
}

function retryOrGiveUp(ctx: FailureContext, code: string, description: string, retryAfterMs?: number): FailureDecision {
  if (ctx.attempt >= ctx.maxAttempts) {
    return { kind: 'fail', code, reason: `gave up after ${ctx.attempt} attempts: ${description}` };
  }
  const delayMs = retryDelay({ attempt: ctx.attempt, baseMs: ctx.baseMs, capMs: ctx.capMs, random: ctx.random, retryAfterMs });
  return { kind: 'retry', delayMs, reason: description };
}

function decideProviderFailure(error: ProviderError, ctx: FailureContext): FailureDecision {
  const code = errorCode(error);
  switch (error.failureClass) {
    case 'retryable':
      // Retrying inside the day burns attempts for nothing: the limit is the account's.
      if (error.provider === 'hubspot' && error.policy === 'DAILY') {
        const reason = "HubSpot's daily API limit is used up: the queue resumes when it resets";
        return { kind: 'pause', scope: 'hubspot', code, reason, resumeAfterMs: error.retryAfterMs };
      }
      return retryOrGiveUp(ctx, code, error.describe(), error.retryAfterMs);
    case 'permanent':
      return { kind: 'fail', code, reason: describeProviderFailure(error, ctx) };
    case 'blocking':
      return { kind: 'pause', scope: error.provider, code, reason: describeProviderFailure(error, ctx) };
  }
}

/**
 * Errors that are not ProviderErrors are bugs or transient local faults:
 * they are retried like any retryable failure, with their message.
 */
export function decideAfterFailure(ctx: FailureContext): FailureDecision {
  if (isProviderError(ctx.error)) return decideProviderFailure(ctx.error, ctx);
  const message = ctx.error instanceof Error ? ctx.error.message : String(ctx.error);
  return retryOrGiveUp(ctx, UNEXPECTED_ERROR_CODE, `unexpected error: ${message}`);
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

/** `insufficient_credit: HeyGen account is out of credit`, on one line, at most 500 characters. */
export function describeFailureForCrm(code: string, reason: string): string {
  return oneLine(`${code}: ${reason}`, CRM_ERROR_MAX_LENGTH);
}

/** `SKIPPED: first_name: property firstname is missing`: why a record got no video. */
export function describeSkipForCrm(reason: string): string {
  return oneLine(`SKIPPED: ${reason}`, CRM_ERROR_MAX_LENGTH);
}
