/**
 * Escaping for HTML Reelay writes (the video page, CRM notes): every value
 * that may come from CRM data is hostile, so text and attribute values are
 * escaped alike (quotes included).
 */
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c] ?? c);
}
