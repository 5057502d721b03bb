/** HTML text helpers shared by the server's pages and the browser: escaping and short names. No imports. */

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and double- or single-quoted attribute values. */
export function esc(value: string | number | boolean | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** `site`, `site/slot`, a plan's or subnet's name: the last meaningful segments of an ARM id. */
export function shortName(id: string | null | undefined): string {
  if (id === null || id === undefined || id === '') return '';
  const parts = id.split('/');
  const slots = parts.findIndex((p) => p.toLowerCase() === 'slots');
  if (slots > 0) return `${parts[slots - 1] ?? ''}/${parts[slots + 1] ?? ''}`;
  return parts[parts.length - 1] ?? id;
}

/** `2025-01-02 03:04:05Z`: the same text on the server and in any browser locale. */
export function timeText(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** 75 → `1 min 15 s`; 3700 → `1 h 1 min`. */
export function durationText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 && seconds % 1 !== 0 ? 1 : 0)} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return h > 0 ? `${h} h ${m} min` : `${m} min${s === 0 ? '' : ` ${s} s`}`;
}
