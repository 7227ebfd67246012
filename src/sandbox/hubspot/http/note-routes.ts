/**
 * Notes (v3 and 2026-03): `POST {objects}/notes` with `properties`
 * (`hs_timestamp` required, `hs_note_body`) and inline `associations`;
 * `GET {objects}/notes/:id`; `POST {objects}/notes/search` on `hs_note_body`
 * (`CONTAINS_TOKEN`) and `hs_object_id` (`EQ`). Static `notes` segments take
 * precedence over the generic `:objectType` routes.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFoundError, validationError } from '../api-error.js';
import type { NoteStore, SandboxNote } from '../crm/note-store.js';
import { containsToken } from '../search/compare.js';
import { registerApiRoute } from './api-route.js';
import { apiVersionBases } from './api-versions.js';
import type { SandboxContext } from './context.js';
import { parseBody } from './parse-body.js';
import { param } from './request-parts.js';

const createSchema = z.object({
  properties: z.record(z.string(), z.unknown()),
  associations: z
    .array(
      z.object({
        to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
        types: z.array(z.object({ associationCategory: z.string(), associationTypeId: z.number().int() })),
      }),
    )
    .default([]),
});

const searchSchema = z.object({
  filterGroups: z
    .array(z.object({ filters: z.array(z.object({ propertyName: z.string(), operator: z.string(), value: z.string().optional() })) }))
    .default([]),
  properties: z.array(z.string()).default([]),
  limit: z.number().int().min(1).max(200).default(10),
});

export function registerNoteRoutes(app: FastifyInstance, ctx: SandboxContext, notes: NoteStore): void {
  for (const bases of apiVersionBases) {
    const base = `${bases.objects}/notes`;
    registerApiRoute(app, ctx, {
      method: 'POST',
      url: base,
      operation: 'notes.create',
      budget: 'standard',
      write: true,
      handle: (request) => {
        const body = parseBody(createSchema, request.body);
        const note = notes.create(body.properties, body.associations);
        return { status: 201, body: noteJson(note, Object.keys(note.properties)) };
      },
    });
    registerApiRoute(app, ctx, {
      method: 'GET',
      url: `${base}/:noteId`,
      operation: 'notes.get',
      budget: 'standard',
      handle: (request) => {
        const note = notes.get(param(request, 'noteId'));
        if (!note) throw notFoundError();
        return { status: 200, body: noteJson(note, Object.keys(note.properties)) };
      },
    });
    registerApiRoute(app, ctx, {
      method: 'POST',
      url: `${base}/search`,
      operation: 'notes.search',
      budget: 'search',
      handle: (request) => {
        const body = parseBody(searchSchema, request.body);
        const groups = body.filterGroups;
        const found = notes.searchable().filter((note) => groups.length === 0 || groups.some((g) => g.filters.every((f) => matches(note, f))));
        const results = found.slice(0, body.limit).map((n) => noteJson(n, body.properties));
        return { status: 200, body: { total: found.length, results } };
      },
    });
  }
}

function matches(note: SandboxNote, filter: { propertyName: string; operator: string; value?: string | undefined }): boolean {
  const value = note.properties[filter.propertyName] ?? '';
  if (filter.value === undefined) throw validationError(`Filter on ${filter.propertyName} with operator ${filter.operator} requires "value"`);
  if (filter.operator === 'CONTAINS_TOKEN') return containsToken(value, filter.value);
  if (filter.operator === 'EQ') return value === filter.value;
  throw validationError(`The sandbox's note search supports CONTAINS_TOKEN and EQ, not ${filter.operator}`);
}

function noteJson(note: SandboxNote, names: readonly string[]): unknown {
  const wanted = new Set(['hs_object_id', 'hs_createdate', 'hs_lastmodifieddate', ...names]);
  return {
    id: note.id,
    properties: Object.fromEntries(Object.entries(note.properties).filter(([name]) => wanted.has(name))),
    createdAt: new Date(note.createdAt).toISOString(),
    updatedAt: new Date(note.createdAt).toISOString(),
    archived: false,
  };
}
