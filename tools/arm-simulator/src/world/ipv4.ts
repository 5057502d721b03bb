/**
 * IPv4 arithmetic for the simulator, derived here from RFC 791 / RFC 4632 / RFC 1918 rather than shared with the
 * product, so the simulator checks the product's address math independently.
 */

export interface Ipv4Range {
  /** First address as an unsigned 32-bit integer. */
  readonly first: number;
  /** Last address, inclusive. */
  readonly last: number;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.trim().split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** '10.0.0.0/16' as a range; undefined when malformed or when the address has host bits set. */
export function parseCidr(text: string): Ipv4Range | undefined {
  const [address, bits, extra] = text.trim().split('/');
  if (address === undefined || bits === undefined || extra !== undefined || !/^\d{1,2}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  const first = parseIpv4(address);
  if (first === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  if (first % size !== 0) return undefined;
  return { first, last: first + size - 1 };
}

export function formatCidr(first: number, prefix: number): string {
  return `${formatIpv4(first)}/${prefix}`;
}

export function rangeContains(range: Ipv4Range, address: number): boolean {
  return address >= range.first && address <= range.last;
}

export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

const RFC1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c) as Ipv4Range);

/** Private address space (RFC 1918): the only destinations regional integration routes into the VNet by default. */
export function isRfc1918(address: number): boolean {
  return RFC1918.some((range) => rangeContains(range, address));
}
