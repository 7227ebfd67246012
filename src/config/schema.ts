/**
 * The shape of `reelay.yaml`. Every object is strict, so a typo is reported
 * with its path instead of being silently ignored.
 */
import { z } from 'zod';
import { parseByteSize, parseDuration } from '../core/duration.js';

const duration = (fallback: string) =>
  z
    .union([z.string(), z.number()])
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `not a duration: ${JSON.stringify(value)} (use 500ms, 30s, 2m, 6h, 7d)` });
        return z.NEVER;
      }
      return ms;
    });

const byteSize = (fallback: string) =>
  z
    .union([z.string(), z.number()])
    .default(fallback)
    .transform((value, ctx) => {
      const bytes = parseByteSize(value);
      if (bytes === undefined) {
        ctx.addIssue({ code: 'custom', message: `not a size: ${JSON.stringify(value)} (use 512kb, 1mb)` });
        return z.NEVER;
      }
      return bytes;
    });

export const objectTypes = ['contacts', 'deals', 'companies'] as const;
export type ObjectType = (typeof objectTypes)[number];

const propertyName = z.string().regex(/^[a-z0-9_]+$/i, 'a HubSpot property name (letters, digits, _)');

const variableSpec = z.strictObject({
  /** The HubSpot property whose value becomes the variable's text. */
  property: propertyName.optional(),
  /** A text with `{{property}}` placeholders instead of a single property. */
  template: z.string().optional(),
  /** Which record the property is read from (for deal/company campaigns with contact recipients). */
  from: z.enum(['record', 'recipient', 'contact', 'deal', 'company']).optional(),
  fallback: z.string().optional(),
  required: z.boolean().default(false),
  /** HeyGen variable type; text is the only one mapped from CRM values today. */
  type: z.enum(['text']).default('text'),
  maxLength: z.number().int().positive().optional(),
}).refine((v) => (v.property === undefined) !== (v.template === undefined), {
  message: 'give exactly one of `property` or `template`',
});
export type VariableSpec = z.infer<typeof variableSpec>;

const trigger = z
  .strictObject({
    property: propertyName,
    equals: z.string().optional(),
    in: z.array(z.string()).min(1).optional(),
  })
  .refine((t) => (t.equals === undefined) !== (t.in === undefined), {
    message: 'give exactly one of `equals` or `in`',
  });
export type TriggerSpec = z.infer<typeof trigger>;

const campaign = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, - and _'),
  object: z.enum(objectTypes).default('contacts'),
  trigger: trigger.optional(),
  template: z.string().min(1),
  title: z.string().default('{{hs_object_id}}'),
  variables: z.record(z.string().min(1), variableSpec),
  /** Campaign-specific HeyGen options passed through (dimension, caption, folder_id...). */
  heygen: z
    .strictObject({
      caption: z.boolean().optional(),
      folderId: z.string().optional(),
      enableSharing: z.boolean().optional(),
      test: z.boolean().optional(),
    })
    .prefault({}),
  enabled: z.boolean().default(true),
});
export type CampaignConfig = z.infer<typeof campaign>;

export const configSchema = z.strictObject({
  heygen: z
    .strictObject({
      api: z.enum(['v3', 'v2']).default('v3'),
      concurrency: z.number().int().positive().default(3),
      callbackGrace: duration('120s'),
      pollEvery: duration('60s'),
      maxRenderAge: duration('6h'),
      acceptUnsignedCallbacks: z.boolean().default(false),
      /** What goes into `heygen_video_url`: Reelay's stable link, HeyGen's share page, or the raw (expiring) URL. */
      link: z.enum(['stable', 'share', 'raw']).default('stable'),
      requestTimeout: duration('30s'),
    })
    .prefault({}),
  hubspot: z
    .strictObject({
      burst: z.number().int().positive().default(100),
      daily: z.number().int().positive().default(250_000),
      searchPerSecond: z.number().int().positive().default(5),
      portalId: z.string().default(''),
      /** How long a lone write or read may wait for companions to fill a batch. */
      batchDelay: duration('200ms'),
      requestTimeout: duration('20s'),
      properties: z
        .strictObject({
          group: z.string().default('video_automation'),
          groupLabel: z.string().default('Video Automation'),
          status: propertyName.default('heygen_render_status'),
          url: propertyName.default('heygen_video_url'),
          jobId: propertyName.default('heygen_job_id'),
          error: propertyName.default('heygen_render_error'),
        })
        .prefault({}),
    })
    .prefault({}),
  campaigns: z.array(campaign).default([]),
  worker: z
    .strictObject({
      leaseSeconds: z.number().int().positive().default(60),
      batchSize: z.number().int().positive().max(100).default(50),
      idleDelay: duration('250ms'),
      retryBase: duration('1s'),
      retryCap: duration('5m'),
      maxAttempts: z.number().int().positive().default(12),
    })
    .prefault({}),
  server: z.strictObject({ bodyLimit: byteSize('1mb') }).prefault({}),
  validation: z
    .strictObject({
      placeholders: z.array(z.string()).default(['n/a', 'na', '-', 'test', 'unknown', 'none', 'null', 'tbd']),
      maxLength: z.number().int().positive().default(200),
    })
    .prefault({}),
  retention: z
    .strictObject({
      eventDays: z.number().int().positive().default(30),
      /** Render rows are the audit of what was billed: kept unless set. */
      renderDays: z.number().int().positive().optional(),
    })
    .prefault({}),
}).superRefine((cfg, ctx) => {
  const seen = new Set<string>();
  cfg.campaigns.forEach((c, i) => {
    if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['campaigns', i, 'id'], message: `duplicate campaign id ${c.id}` });
    seen.add(c.id);
  });
});

export type ReelayConfig = z.infer<typeof configSchema>;
