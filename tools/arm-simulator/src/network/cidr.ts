/** An IPv4 range from CIDR notation, as unsigned 32-bit numbers. */
export interface Ipv4Range {
  readonly start: number;
  readonly end: number;
  readonly prefixLength: number;
}

/** Parses 'a.b.c.d/n'; undefined for IPv6 or anything malformed. */
export function parseIpv4Cidr(cidr: string): Ipv4Range | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (match === null) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefixLength);
  const start = Math.floor(address / size) * size;
  return { start, end: start + size - 1, prefixLength };
}

export function isIpv6Cidr(cidr: string): boolean {
  return cidr.includes(':');
}

export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function contains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}
