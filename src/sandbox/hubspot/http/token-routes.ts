/**
 * What HubSpot says about the bearer token, as `doctor` asks it:
 * - `GET /oauth/v1/access-tokens/{token}` (token metadata, documented for
 *   OAuth access tokens): `token_type`, `scopes`, `hub_id`, `app_id`,
 *   `is_private_distribution`, `signed_access_token.isServiceAccount`.
 * - `POST /oauth/v2/private-apps/get/access-token-info` `{tokenKey}`:
 *   `{userId, hubId, appId, scopes}` for private app tokens.
 * Neither needs an Authorization header: the token is the argument.
 *
 * Which endpoint answers for which kind of credential is a model, not a
 * documented fact (docs/api-notes/hubspot-platform.md): OAuth and
 * project-app static tokens and service keys are described by the first
 * (a service key with `isServiceAccount`); a legacy private app's token only
 * by the second. Unknown tokens get 404 from both.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { objectTypeInfo, objectTypes } from '../../../core/object-types.js';
import { randomUuid } from '../ids.js';
import type { SandboxContext } from './context.js';

/** The kinds of HubSpot credential the sandbox can pretend its token is. */
export type SandboxTokenKind = 'static' | 'oauth' | 'service-key' | 'legacy-private-app';

export interface SandboxTokenInfo {
  kind: SandboxTokenKind;
  scopes: string[];
}

/** Every scope Reelay may need, and `oauth`: the default grant, so a plain sandbox passes `doctor`. */
export const SANDBOX_DEFAULT_SCOPES: readonly string[] = [
  'oauth',
  ...new Set(objectTypes.flatMap((t) => Object.values(objectTypeInfo(t).scopes))),
];

const USER_ID = 2_718_281;

function notFound(ctx: SandboxContext, reply: FastifyReply): FastifyReply {
  return reply.code(404).send({ status: 'error', message: 'Token not found', correlationId: randomUuid(ctx.random), category: 'OBJECT_NOT_FOUND' });
}

export function registerTokenRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.get<{ Params: { token: string } }>('/oauth/v1/access-tokens/:token', async (request, reply) => {
    ctx.stats.request('oauth.tokenInfo');
    const { kind, scopes } = ctx.tokenInfo;
    if (request.params.token !== ctx.accessToken || kind === 'legacy-private-app') return notFound(ctx, reply);
    return reply.code(200).send({
      token: request.params.token,
      token_type: 'access',
      user_id: USER_ID,
      hub_id: ctx.portalId,
      app_id: ctx.appId,
      scopes,
      expires_in: kind === 'oauth' ? 1800 : 0,
      is_private_distribution: kind !== 'oauth',
      signed_access_token: { appId: ctx.appId, hubId: ctx.portalId, isServiceAccount: kind === 'service-key', isPrivateDistribution: kind !== 'oauth', isUserLevel: false },
    });
  });

  app.post<{ Body: { tokenKey?: unknown } | undefined }>('/oauth/v2/private-apps/get/access-token-info', async (request, reply) => {
    ctx.stats.request('oauth.privateAppTokenInfo');
    const { kind, scopes } = ctx.tokenInfo;
    if (request.body?.tokenKey !== ctx.accessToken || kind !== 'legacy-private-app') return notFound(ctx, reply);
    return reply.code(200).send({ userId: USER_ID, hubId: ctx.portalId, appId: ctx.appId, scopes });
  });
}
