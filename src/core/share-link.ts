/**
 * Pure: when the link written to `heygen_video_url` may be HeyGen's share
 * page, and so when renders must ask HeyGen to make that page public
 * (`enable_sharing`: without it HeyGen's `video_page_url` needs a login).
 */
export type LinkMode = 'stable' | 'share' | 'raw';

/** `link: share`, or `link: stable` without a PUBLIC_URL to carry the stable link (see `linkFor`). */
export function writesSharePage(link: LinkMode, hasPublicUrl: boolean): boolean {
  return link === 'share' || (link === 'stable' && !hasPublicUrl);
}

/** The `enable_sharing` a render sends: the campaign's own setting, else true when the share page may be written. */
export function enableSharingFor(link: LinkMode, hasPublicUrl: boolean, campaignSetting: boolean | undefined): boolean | undefined {
  if (campaignSetting !== undefined) return campaignSetting;
  return writesSharePage(link, hasPublicUrl) ? true : undefined;
}

/** The same, as the optional `enableSharing` field of a create request. */
export function sharingOption(link: LinkMode, hasPublicUrl: boolean, campaignSetting: boolean | undefined): { enableSharing?: boolean } {
  const enableSharing = enableSharingFor(link, hasPublicUrl, campaignSetting);
  return enableSharing === undefined ? {} : { enableSharing };
}
