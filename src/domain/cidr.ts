/**
 * IPv4 addresses and CIDR blocks as plain numbers, for subnet arithmetic.
 *
 * Parsing is strict because a subnet prefix with host bits set (10.0.0.5/24) is rejected by ARM only after a
 * long-running PUT has started; catching it here, with the canonical prefix that was probably meant, saves a
 * failed migration. Regional VNet integration is IPv4 only, so IPv6 input gets its own clear error.
 */
import { MigratorError } from './errors.js';

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefixLength: number;
}

export class InvalidIpv4AddressError extends MigratorError {
  readonly code = 'InvalidIpv4Address';
  constructor(text: string, problem: string) {
    super(`'${text}' is not an IPv4 address: ${problem}.`, false, { details: { input: text, problem } });
  }
}

export class InvalidCidrError extends MigratorError {
  readonly code = 'InvalidCidr';
  constructor(text: string, problem: string) {
    super(`'${text}' is not an IPv4 CIDR block (a.b.c.d/n): ${problem}.`, false, { details: { input: text, problem } });
  }
}

export class CidrPrefixOutOfRangeError extends MigratorError {
  readonly code = 'CidrPrefixOutOfRange';
  constructor(text: string, prefixLength: number) {
    super(`'${text}' has prefix length ${prefixLength}; an IPv4 prefix length must be 0 to 32.`, false, {
      details: { input: text, prefixLength },
    });
  }
}

export class CidrHostBitsSetError extends MigratorError {
  readonly code = 'CidrHostBitsSet';
  constructor(text: string, canonical: string) {
    super(`'${text}' has host bits set; did you mean '${canonical}'?`, false, { details: { input: text, canonical } });
  }
}

export class Ipv6NotSupportedError extends MigratorError {
  readonly code = 'Ipv6NotSupported';
  constructor(text: string) {
    super(`'${text}' is IPv6; IPv6 is not supported: regional VNet integration needs an IPv4 subnet prefix.`, false, {
      details: { input: text },
    });
  }
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Parses dotted-quad text. Leading zeros are refused: some tools read them as octal, so their meaning is unclear. */
export function parseIpv4Address(text: string): number {
  if (text.includes(':')) throw new Ipv6NotSupportedError(text);
  const parts = text.split('.');
  if (parts.length !== 4) throw new InvalidIpv4AddressError(text, `expected 4 dot-separated octets, found ${parts.length}`);
  let value = 0;
  for (const [index, part] of parts.entries()) {
    if (!OCTET.test(part)) {
      throw new InvalidIpv4AddressError(text, `octet ${index + 1} '${part}' is not a decimal number without leading zeros`);
    }
    const octet = Number(part);
    if (octet > 255) throw new InvalidIpv4AddressError(text, `octet ${index + 1} '${part}' is greater than 255`);
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4Address(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Netmask of a prefix length as an unsigned integer (shifting by 32 is a no-op in JS, hence the special case). */
export function maskOf(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

export function parseCidr(text: string): Cidr {
  if (text.includes(':')) throw new Ipv6NotSupportedError(text);
  const slash = text.indexOf('/');
  if (slash < 0) throw new InvalidCidrError(text, "the '/prefix-length' part is missing");
  const prefixText = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefixText)) throw new InvalidCidrError(text, `prefix length '${prefixText}' is not a number`);
  const prefixLength = Number(prefixText);
  if (prefixLength > 32) throw new CidrPrefixOutOfRangeError(text, prefixLength);
  let address: number;
  try {
    address = parseIpv4Address(text.slice(0, slash));
  } catch (error) {
    if (error instanceof InvalidIpv4AddressError) {
      throw new InvalidCidrError(text, String(error.details?.['problem']));
    }
    throw error;
  }
  const network = (address & maskOf(prefixLength)) >>> 0;
  if (network !== address) throw new CidrHostBitsSetError(text, formatCidr({ network, prefixLength }));
  return { network, prefixLength };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4Address(cidr.network)}/${cidr.prefixLength}`;
}

/** Number of addresses in the block (2^(32-n)). */
export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefixLength);
}

export function lastAddress(cidr: Cidr): number {
  return cidr.network + cidrSize(cidr) - 1;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.network <= lastAddress(b) && b.network <= lastAddress(a);
}

/** Whether `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.network >= outer.network && lastAddress(inner) <= lastAddress(outer);
}

const RFC1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(parseCidr);

/** Whether the whole block is RFC 1918 private space, which regional integration routes by default. */
export function isPrivate(cidr: Cidr): boolean {
  return RFC1918.some((range) => cidrContains(range, cidr));
}

/** Whether every address from `start` to `end` (inclusive) is RFC 1918 private space. */
export function isPrivateRange(start: number, end: number): boolean {
  return RFC1918.some((range) => start >= range.network && end <= lastAddress(range));
}

/** The fewest aligned CIDR blocks that exactly cover start..end (inclusive); used to describe free space. */
export function rangeToCidrs(start: number, end: number): Cidr[] {
  const blocks: Cidr[] = [];
  let cursor = start;
  while (cursor <= end) {
    let prefixLength = 32;
    // Grow the block while it stays aligned on `cursor` and inside the range.
    while (prefixLength > 0) {
      const size = 2 ** (32 - (prefixLength - 1));
      if (cursor % size !== 0 || cursor + size - 1 > end) break;
      prefixLength -= 1;
    }
    blocks.push({ network: cursor, prefixLength });
    cursor += 2 ** (32 - prefixLength);
  }
  return blocks;
}
