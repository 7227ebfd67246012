/**
 * `/v/:token/thumbnail.gif`, `/v/:token/poster.jpg`, `/v/:token/logo.png`:
 * a linked render's images, made once and shared through the database
 * (`engine/video-media.ts`).
 */
import type { EngineContext } from '../engine/context.js';
import { findLinkedRender } from '../engine/stable-links.js';
import { videoImage, type ImageResult, type VideoImageKind } from '../engine/video-media.js';

export type { ImageResult, VideoImageKind };

export async function showVideoImage(
  ctx: Pick<EngineContext, 'store' | 'clock' | 'heygen' | 'config' | 'log'>,
  token: string,
  kind: VideoImageKind,
): Promise<ImageResult> {
  const render = await findLinkedRender(ctx.store, token);
  if (!render) return { kind: 'not_found' };
  return videoImage(ctx, render, kind);
}
