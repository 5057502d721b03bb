/** Plain-text building blocks for people: short names for ARM ids, aligned tables, CSV. */

/** The readable tail of an ARM id: 'app' for a site, 'app/slot' for a slot, the last segment otherwise. */
export function shortName(resourceId: string | null | undefined): string {
  if (!resourceId) return '-';
  const slot = /\/sites\/([^/]+)\/slots\/([^/]+)$/i.exec(resourceId);
  if (slot) return `${slot[1]}/${slot[2]}`;
  return resourceId.split('/').filter(Boolean).pop() ?? resourceId;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; lines end with CRLF. */
export function csv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return [headers, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
