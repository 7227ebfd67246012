/**
 * `/_sandbox/*`: the control API (no auth, no faults), the signed file links
 * and share pages. Files answer with real media (a playable MP4, an animated
 * GIF, a JPEG: `media-fixtures.ts`) while the link is valid, with single
 * byte ranges as a CDN does (browsers seek with them), and 403 (an S3-style
 * XML error) once it expired or was tampered with.
 */
import type { FastifyInstance } from 'fastify';
import type { HeyGenSandboxControl } from '../control.js';
import { FILES_PREFIX, parseFileName, type FileKind, type SignedQuery } from '../signed-urls.js';
import { mediaFixtures } from '../media-fixtures.js';
import { isShared, type SandboxState } from '../state.js';
import { parseTemplate } from '../template-schema.js';

const fileTypes: Record<FileKind, string> = {
  mp4: 'video/mp4',
  'captioned.mp4': 'video/mp4',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  srt: 'application/x-subrip',
};

function fileBody(kind: FileKind, title: string | null): Buffer {
  if (kind === 'srt') return Buffer.from(`1\n00:00:00,000 --> 00:00:02,000\n${title ?? ''}\n`);
  const media = mediaFixtures();
  return kind === 'gif' ? media.gif : kind === 'jpg' ? media.jpg : media.mp4;
}

/** The one byte range a `Range: bytes=a-b` header asks for, null for the whole file, 'unsatisfiable' past its end. */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  const match = header?.match(/^bytes=(\d*)-(\d*)$/);
  if (!match || (match[1] === '' && match[2] === '')) return null;
  const [start, end] = match[1] === '' ? [Math.max(0, size - Number(match[2])), size - 1] : [Number(match[1]), match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)];
  return start > end || start >= size ? 'unsatisfiable' : { start, end };
}

function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

export function registerSandboxRoutes(app: FastifyInstance, state: SandboxState, control: HeyGenSandboxControl): void {
  app.get('/_sandbox/ledger', async () => state.billing.ledger());
  app.get('/_sandbox/stats', async () => state.statsSnapshot());

  app.get('/_sandbox/faults', async () => control.faults());
  // HTTP bodies are validated by the same schemas the typed `control` methods use.
  app.post('/_sandbox/faults', async (request) => state.faults.patch(request.body ?? {}));
  app.delete('/_sandbox/faults', async () => control.clearFaults());

  app.get('/_sandbox/limits', async () => control.limits());
  app.post('/_sandbox/limits', async (request) => state.setLimits(request.body ?? {}));

  app.get('/_sandbox/templates', async () => control.templates());
  app.post('/_sandbox/templates', async (request) => {
    control.putTemplate(parseTemplate(request.body));
    return control.templates();
  });
  app.delete<{ Params: { templateId: string } }>('/_sandbox/templates/:templateId', async (request, reply) => {
    if (!control.removeTemplate(request.params.templateId)) return reply.code(404).send({ error: 'no such template' });
    return control.templates();
  });

  app.post('/_sandbox/reset', async () => {
    control.reset();
    return { ok: true };
  });

  app.get<{ Params: { name: string }; Querystring: SignedQuery }>(
    `${FILES_PREFIX}:name`,
    async (request, reply) => {
      const file = parseFileName(request.params.name);
      const video = file ? state.videos.get(file.videoId) : undefined;
      if (!file || !video || video.status !== 'completed') {
        return reply.code(404).type('application/xml').send(s3Error('NoSuchKey', 'The specified key does not exist.'));
      }
      const check = state.urls.check(`${FILES_PREFIX}${request.params.name}`, request.query);
      if (check !== 'valid') {
        return reply.code(403).type('application/xml').send(s3Error('AccessDenied', check === 'expired' ? 'Request has expired' : 'Invalid signature'));
      }
      if (file.kind === 'gif' || file.kind === 'jpg') state.stats.bump('imageDownloads');
      const body = fileBody(file.kind, video.title);
      reply.type(fileTypes[file.kind]).header('accept-ranges', 'bytes');
      const range = byteRange(request.headers.range, body.length);
      if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${body.length}`).send();
      if (range === null) return reply.code(200).send(body);
      return reply
        .code(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${body.length}`)
        .send(body.subarray(range.start, range.end + 1));
    },
  );

  app.get<{ Params: { videoId: string } }>('/_sandbox/share/:videoId', async (request, reply) => {
    const video = state.videos.get(request.params.videoId);
    if (!video || video.status !== 'completed') return reply.code(404).type('text/html').send('<h1>Video not found</h1>');
    // Like HeyGen's: a share page is public only when the render asked for enable_sharing or the share endpoint was called.
    if (!isShared(state, video)) return reply.code(403).type('text/html').send('<h1>This video is private</h1><p>Log in to HeyGen to watch it.</p>');
    return reply.type('text/html').send(`<!doctype html><title>${escapeHtml(video.title ?? video.id)}</title><video src="#"></video>`);
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
