/**
 * Links to rendered files, signed and expiring like HeyGen's CDN links:
 * `/_sandbox/files/{id}.mp4?Expires=<epoch s>&Signature=<hmac>` (CloudFront's
 * canned form), or with `urlExpiry: 'policy'` CloudFront's custom-policy form
 * `?Policy=<base64url JSON>&Signature=<hmac>&Key-Pair-Id=...`, whose expiry a
 * client cannot read from the query. Every status read signs a fresh link; an
 * expired or tampered one answers 403.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.js';

export const fileKinds = ['mp4', 'captioned.mp4', 'jpg', 'gif', 'srt'] as const;
export type FileKind = (typeof fileKinds)[number];

export const FILES_PREFIX = '/_sandbox/files/';

export type LinkCheck = 'valid' | 'expired' | 'invalid';

/** `expires`: `Expires=<epoch s>` in the URL; `policy`: the expiry hidden in an encoded `Policy`. */
export type UrlExpiryStyle = 'expires' | 'policy';

export interface SignedQuery {
  Expires?: string;
  Policy?: string;
  Signature?: string;
}

export class UrlSigner {
  private readonly key = randomBytes(32);

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly baseUrl: () => string,
    private readonly style: UrlExpiryStyle = 'expires',
  ) {}

  /** A fresh signed link to one file of a video. */
  fileUrl(videoId: string, kind: FileKind): string {
    const path = `${FILES_PREFIX}${videoId}.${kind}`;
    const expires = Math.floor((this.clock.now() + this.ttlMs) / 1000);
    const signature = this.sign(path, expires);
    if (this.style === 'policy') {
      const policy = Buffer.from(JSON.stringify({ Statement: [{ Resource: path, Condition: { DateLessThan: { 'AWS:EpochTime': expires } } }] })).toString('base64url');
      return `${this.baseUrl()}${path}?Policy=${policy}&Signature=${signature}&Key-Pair-Id=KSANDBOX`;
    }
    return `${this.baseUrl()}${path}?Expires=${expires}&Signature=${signature}`;
  }

  check(path: string, query: SignedQuery): LinkCheck {
    const signature = query.Signature;
    const expires = query.Expires ?? (query.Policy === undefined ? undefined : policyExpiry(query.Policy));
    if (expires === undefined || signature === undefined || !/^\d+$/.test(expires)) return 'invalid';
    const expected = Buffer.from(this.sign(path, Number(expires)));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return Number(expires) * 1000 <= this.clock.now() ? 'expired' : 'valid';
  }

  private sign(path: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${path}\n${expires}`).digest('base64url');
  }
}

function policyExpiry(policy: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(policy, 'base64url').toString('utf8')) as {
      Statement?: Array<{ Condition?: { DateLessThan?: { 'AWS:EpochTime'?: unknown } } }>;
    };
    const epoch = parsed.Statement?.[0]?.Condition?.DateLessThan?.['AWS:EpochTime'];
    return typeof epoch === 'number' ? String(epoch) : undefined;
  } catch {
    return undefined;
  }
}

/** Splits `{id}.{kind}` from a file name; undefined when the kind is unknown. */
export function parseFileName(name: string): { videoId: string; kind: FileKind } | undefined {
  for (const kind of fileKinds) {
    const suffix = `.${kind}`;
    if (name.endsWith(suffix) && name.length > suffix.length) {
      const videoId = name.slice(0, -suffix.length);
      if (!videoId.includes('.')) return { videoId, kind };
    }
  }
  return undefined;
}
