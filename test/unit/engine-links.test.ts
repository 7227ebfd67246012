import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { linkFor } from '../../src/engine/track.js';

const video = { id: 'v1', status: 'completed' as const, rawStatus: 'completed', videoUrl: 'https://files.heygen.test/v1.mp4?Expires=1', shareUrl: 'https://app.heygen.test/share/v1' };

function ctx(link: 'stable' | 'share' | 'raw', publicUrl: string | undefined) {
  return { config: configSchema.parse({ heygen: { link } }), publicUrl };
}

describe('the link written to heygen_video_url', () => {
  it('is Reelay\'s stable link by default, HeyGen\'s share page or raw URL when asked', () => {
    expect(linkFor(ctx('stable', 'https://reelay.example.com'), video, 'TOKEN')).toBe('https://reelay.example.com/v/TOKEN');
    expect(linkFor(ctx('share', 'https://reelay.example.com'), video, 'TOKEN')).toBe(video.shareUrl);
    expect(linkFor(ctx('raw', 'https://reelay.example.com'), video, 'TOKEN')).toBe(video.videoUrl);
  });

  it('falls back to the share page, then the raw URL, when no PUBLIC_URL can carry a stable link', () => {
    expect(linkFor(ctx('stable', undefined), video, 'TOKEN')).toBe(video.shareUrl);
    expect(linkFor(ctx('stable', undefined), { ...video, shareUrl: undefined }, 'TOKEN')).toBe(video.videoUrl);
  });

  it('with link: share, never falls back to the expiring file URL: the stable link, or nothing yet', () => {
    const noShare = { ...video, shareUrl: undefined };
    expect(linkFor(ctx('share', 'https://reelay.example.com'), noShare, 'TOKEN')).toBe('https://reelay.example.com/v/TOKEN');
    expect(linkFor(ctx('share', undefined), noShare, 'TOKEN')).toBeUndefined();
  });
});
