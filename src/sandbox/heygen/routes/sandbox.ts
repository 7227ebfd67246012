/**
 * `/_sandbox/*`: the control API (no auth, no faults), the signed file links
 * and share pages. Files answer 200 with a tiny body while the link is valid,
 * 403 (an S3-style XML error) once it expired or was tampered with.
 */
import type { FastifyInstance } from 'fastify';
import type { HeyGenSandboxControl } from '../control.js';
import { FILES_PREFIX, parseFileName, type FileKind, type SignedQuery } from '../signed-urls.js';
import { isShared, type SandboxState } from '../state.js';
import { parseTemplate } from '../template-schema.js';

const fileTypes: Record<FileKind, string> = {
  mp4: 'video/mp4',
  'captioned.mp4': 'video/mp4',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  srt: 'application/x-subrip',
};

/** An `ftyp` box: enough for a client to see it got an MP4. */
const TINY_MP4 = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');

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
      const body = file.kind === 'srt' ? Buffer.from(`1\n00:00:00,000 --> 00:00:02,000\n${video.title ?? ''}\n`) : TINY_MP4;
      return reply.code(200).type(fileTypes[file.kind]).send(body);
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
