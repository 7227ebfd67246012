/** HubSpot's batch answers: 200 COMPLETE, or 207 with per-row errors next to the rows that worked. */
import type { Random } from '../../../core/clock.js';
import type { CrmApiError, HubSpotErrorCategory, HubSpotErrorDetail } from '../api-error.js';
import { shuffleInPlace } from '../shuffle.js';
import type { ApiResult } from './api-route.js';

export const maxBatchInputs = 100;

export interface BatchRowError {
  status: 'error';
  category: HubSpotErrorCategory;
  subCategory?: string;
  message: string;
  context: Record<string, string[]>;
  errors?: HubSpotErrorDetail[];
}

/** Turns a validation failure of one row into its batch error, naming the row's id. */
export function rowError(err: CrmApiError, id: string): BatchRowError {
  return {
    status: 'error',
    category: err.category,
    ...(err.subCategory === undefined ? {} : { subCategory: err.subCategory }),
    message: err.message,
    context: { ...err.context, ids: [id] },
    ...(err.errors === undefined ? {} : { errors: err.errors }),
  };
}

/**
 * Results come back in no particular order (as HubSpot's do), so callers
 * must match them by id, never by position.
 */
export function batchResult<T>(results: T[], errors: BatchRowError[], startedAt: number, completedAt: number, random: Random, okStatus = 200): ApiResult {
  const body = {
    status: 'COMPLETE',
    results: shuffleInPlace(results, random),
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt: new Date(startedAt).toISOString(),
    completedAt: new Date(completedAt).toISOString(),
  };
  return { status: errors.length > 0 ? 207 : okStatus, body };
}
