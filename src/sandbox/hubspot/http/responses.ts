/** The sandbox's canned answers: auth failures, rate limits and injected gateway errors. */
import type { HubSpotErrorBody } from '../api-error.js';
import type { RatePolicy } from '../limits/app-limiter.js';
import type { ServerErrorStatus } from '../faults.js';

export function authErrorBody(correlationId: string): HubSpotErrorBody {
  return {
    status: 'error',
    message:
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    correlationId,
    category: 'INVALID_AUTHENTICATION',
  };
}

export interface RateLimitBody {
  status: 'error';
  message: string;
  errorType: 'RATE_LIMIT';
  correlationId: string;
  policyName: RatePolicy;
  groupName: string;
}

const policyWords: Record<RatePolicy, { message: string; group: string }> = {
  TEN_SECONDLY_ROLLING: { message: 'You have reached your ten_secondly_rolling limit.', group: 'publicapi:private-app-api-10-second' },
  DAILY: { message: 'You have reached your daily limit.', group: 'publicapi:private-app-api-daily' },
  SECONDLY: { message: 'You have reached your secondly limit.', group: 'publicapi:crm-search' },
};

export function rateLimitBody(policy: RatePolicy, correlationId: string, appId: number): RateLimitBody {
  const words = policyWords[policy];
  return { status: 'error', message: words.message, errorType: 'RATE_LIMIT', correlationId, policyName: policy, groupName: `${words.group}:${appId}` };
}

export interface InjectedServerError {
  contentType: string;
  body: string;
}

/** 500 comes from HubSpot itself as JSON; 502-504 come from the edge as HTML, so clients must not assume JSON. */
export function serverErrorBody(status: ServerErrorStatus, correlationId: string): InjectedServerError {
  if (status === 500) {
    const body: HubSpotErrorBody = { status: 'error', message: 'internal error', correlationId, category: 'INTERNAL_ERROR' };
    return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
  }
  const title = { 502: 'Bad gateway', 503: 'Service unavailable', 504: 'Gateway time-out' }[status];
  return {
    contentType: 'text/html; charset=UTF-8',
    body: `<!DOCTYPE html><html><head><title>api.hubapi.com | ${status}: ${title}</title></head><body><h1>Error ${status}</h1><p>${title}</p></body></html>`,
  };
}
