/**
 * The shape of `reelay.yaml`. Every object is strict, so a typo is reported
 * with its path instead of being silently ignored.
 */
import { z } from 'zod';
import { parseByteSize, parseDuration } from '../core/duration.js';
import { objectSingulars, objectTypes, type ObjectType } from '../core/object-types.js';
import { hubspotApiVersions } from '../hubspot/paths.js';

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

export { objectTypes, type ObjectType };

const propertyName = z.string().regex(/^[a-z0-9_]+$/i, 'a HubSpot property name (letters, digits, _)');

const variableSpec = z.strictObject({
  /** The HubSpot property whose value becomes the variable's text. */
  property: propertyName.optional(),
  /** A text with `{{property}}` placeholders instead of a single property. */
  template: z.string().optional(),
  /** Which record the property is read from (for deal/company campaigns with contact recipients). */
  from: z.enum(['record', 'recipient', ...objectSingulars]).optional(),
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
    /** Like `equals`, but only for a change of the property (a record created with the value does not count). */
    changedTo: z.string().optional(),
  })
  .refine((t) => [t.equals, t.in, t.changedTo].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of `equals`, `in` or `changedTo`',
  });
export type TriggerSpec = z.infer<typeof trigger>;

/** A check on a record's current properties (after it was read from the CRM). */
const condition = z
  .strictObject({
    property: propertyName,
    equals: z.string().optional(),
    notEquals: z.string().optional(),
    in: z.array(z.string()).min(1).optional(),
    notIn: z.array(z.string()).min(1).optional(),
    /** true: the property has a usable value; false: it has none. */
    exists: z.boolean().optional(),
  })
  .refine((c) => [c.equals, c.notEquals, c.in, c.notIn, c.exists].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of `equals`, `notEquals`, `in`, `notIn` or `exists`',
  });
export type ConditionSpec = z.infer<typeof condition>;

const searchOperators = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'] as const;

/** A CRM search run on a cron expression; each match is enqueued once per distinct set of values. */
const schedule = z.strictObject({
  /** Five-field cron expression, evaluated in `timezone`. */
  cron: z.string().min(9),
  timezone: z.string().default('UTC'),
  /** ANDed search filters; values may use `{{today}}`, `{{today+60d}}`, `{{today-7d}}` (the run's date). */
  filters: z
    .array(
      z.strictObject({
        property: propertyName,
        operator: z.enum(searchOperators),
        value: z.string().optional(),
        highValue: z.string().optional(),
        values: z.array(z.string()).optional(),
      }),
    )
    .min(1),
  /** Runs missed while Reelay was down are run on start, back to this many days. */
  catchUpDays: z.number().int().min(0).default(7),
});
export type ScheduleSpec = z.infer<typeof schedule>;

/**
 * A campaign variant (`variants:`): another template (and optionally other
 * variables and title) for the records its `when` matches. The first
 * matching variant wins; with none, the campaign's own template renders.
 * `when` is one condition or a list that must all hold, checked like
 * campaign `conditions` on the freshly read record. `id` (letters, digits,
 * - and _) names the variant on the render and in its render key; it
 * defaults to `v1`, `v2`... by position, so give ids if you will reorder.
 * `variables`, when given, replace the campaign's variables entirely.
 */
const variant = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, - and _').optional(),
  when: z.union([condition, z.array(condition).min(1)]).transform((when) => (Array.isArray(when) ? when : [when])),
  template: z.string().min(1),
  variables: z.record(z.string().min(1), variableSpec).optional(),
  title: z.string().optional(),
});

const variants = z
  .array(variant)
  .default([])
  .transform((list) => list.map((v, i) => ({ ...v, id: v.id ?? `v${i + 1}` })))
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((v, i) => {
      if (seen.has(v.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate variant id ${v.id}` });
      seen.add(v.id);
    });
  });
export type VariantSpec = z.output<typeof variants>[number];

/** For deal and company campaigns: who the video is for. */
const recipients = z.strictObject({
  /** `record`: the triggering record itself; `contacts`: its associated contacts, one video each. */
  to: z.enum(['record', 'contacts']).default('record'),
  /** With `contacts`: all of them, or only the one labelled primary. */
  which: z.enum(['all', 'primary']).default('all'),
  /** With `contacts`: only those matching every condition. */
  filter: z.array(condition).default([]),
});
export type RecipientsSpec = z.infer<typeof recipients>;

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}, 'an http(s) URL');

/** The campaign's video page (`GET /v/:token` in a browser): branding and call to action. */
const page = z.strictObject({
  /** Accent colour of the page: `#rgb` or `#rrggbb`. */
  brandColor: z.string().regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i, 'a colour as #rgb or #rrggbb').optional(),
  /** A logo shown above the video; Reelay fetches it once and serves it itself (no third-party request from the page). */
  logoUrl: httpUrl.optional(),
  /** A button under the video. */
  cta: z.strictObject({ label: z.string().trim().min(1).max(80), url: httpUrl }).optional(),
});
export type PageConfig = z.infer<typeof page>;

const campaign = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, - and _'),
  object: z.enum(objectTypes).default('contacts'),
  trigger: trigger.optional(),
  /** Checks on the fetched record; a render whose record fails one is skipped with the reason. */
  conditions: z.array(condition).default([]),
  schedule: schedule.optional(),
  recipients: recipients.prefault({}),
  /** Whose properties are written: the recipient's (default), the triggering record's, or both. */
  writeback: z.enum(['recipient', 'record', 'both']).default('recipient'),
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
  /** Also create one CRM note (title and link) on each written-back record when the video is ready. */
  note: z.boolean().default(false),
  page: page.prefault({}),
  /** `required`: a finished video waits in `awaiting_review` (CRM: PROCESSING) until an operator approves or rejects it. */
  review: z.enum(['none', 'required']).default('none'),
  /** Other templates chosen by the record (first match wins; else `template`). */
  variants,
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
      /** Date-based CRM paths (`/crm/objects/2026-03/...`, default) or the numbered `/crm/v3` ones for old portals. */
      apiVersion: z.enum(hubspotApiVersions).default('2026-03'),
      burst: z.number().int().positive().default(100),
      daily: z.number().int().positive().default(250_000),
      searchPerSecond: z.number().int().positive().default(5),
      portalId: z.string().default(''),
      /**
       * How HubSpot events reach Reelay: `webhooks` (HubSpot POSTs to /webhooks/hubspot)
       * or `journal` (Reelay polls HubSpot's Webhooks Journal; no public URL needed).
       */
      intake: z.enum(['webhooks', 'journal']).default('webhooks'),
      journal: z
        .strictObject({
          /** How often an idle poller asks for a newer journal entry. */
          pollEvery: duration('5s'),
          /** Entries read per poll before the poller yields (each is one API call and one download). */
          maxEntriesPerPoll: z.number().int().positive().max(100).default(20),
        })
        .prefault({}),
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
          /** Video engagement (SPEC "Video page and engagement"): plays, highest watch percent, last play, CTA clicks. */
          plays: propertyName.default('heygen_video_plays'),
          watchPercent: propertyName.default('heygen_video_watch_percent'),
          lastPlayed: propertyName.default('heygen_video_last_played'),
          ctaClicks: propertyName.default('heygen_video_cta_clicks'),
          /** `PUBLIC_URL/v/TOKEN/thumbnail.gif`, written with the completed video, for e-mail templates. */
          thumbnailUrl: propertyName.default('heygen_video_thumbnail_url'),
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
      /** While a provider's queue is paused (bad token, no credit), one render per this interval probes it. */
      pauseProbeEvery: duration('30s'),
      /** While HubSpot webhooks are arriving and the event loop is more than half busy, each worker loop waits this long before its next tick; 0 turns it off. */
      yieldToWebhooks: duration('250ms'),
    })
    .prefault({}),
  server: z.strictObject({ bodyLimit: byteSize('1mb') }).prefault({}),
  /** The video page's engagement (SPEC "Video page and engagement"). */
  links: z
    .strictObject({
      /** At most one engagement write per CRM record this often; events in between add up in Reelay. */
      flushEvery: duration('60s'),
    })
    .prefault({}),
  validation: z
    .strictObject({
      placeholders: z.array(z.string()).default(['n/a', 'na', '-', 'test', 'unknown', 'none', 'null', 'tbd']),
      maxLength: z.number().int().positive().default(200),
    })
    .prefault({}),
  /** Caps on renders billed per UTC day (a render counts when HeyGen accepts its create): global and per campaign. */
  budgets: z
    .strictObject({
      daily: z.number().int().nonnegative().optional(),
      campaigns: z.record(z.string(), z.strictObject({ daily: z.number().int().nonnegative() })).default({}),
    })
    .prefault({}),
  retention: z
    .strictObject({
      eventDays: z.number().int().positive().default(30),
      /** Render rows are the audit of what was billed: kept unless set. */
      renderDays: z.number().int().positive().optional(),
      /** Video engagement (plays, watch percent, CTA clicks per render) older than this is deleted. */
      engagementDays: z.number().int().positive().default(90),
    })
    .prefault({}),
  /** SPEC "Privacy": `reelay forget` and HubSpot's `contact.privacyDeletion`. */
  privacy: z
    .strictObject({
      /** Delete a forgotten person's videos at HeyGen too (retried until HeyGen confirms). */
      deleteVideos: z.boolean().default(true),
      /** Act on HubSpot's `contact.privacyDeletion` events (and the journal's GDPR_DELETE); setup subscribes to them. */
      honorDeletionEvents: z.boolean().default(true),
    })
    .prefault({}),
}).superRefine((cfg, ctx) => {
  const seen = new Set<string>();
  cfg.campaigns.forEach((c, i) => {
    if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['campaigns', i, 'id'], message: `duplicate campaign id ${c.id}` });
    seen.add(c.id);
  });
  for (const id of Object.keys(cfg.budgets.campaigns)) {
    if (!seen.has(id)) ctx.addIssue({ code: 'custom', path: ['budgets', 'campaigns', id], message: `no campaign has the id ${id}` });
  }
});

export type ReelayConfig = z.infer<typeof configSchema>;
