import { describe, expect, it } from 'vitest';
import {
  CidrHostBitsSetError,
  CidrPrefixOutOfRangeError,
  InvalidCidrError,
  Ipv6NotSupportedError,
  cidrContains,
  cidrSize,
  cidrsOverlap,
  formatCidr,
  isPrivate,
  isPrivateRange,
  parseCidr,
  parseIpv4Address,
  rangeToCidrs,
} from '../../src/domain/cidr.js';

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/16', 167772160, 16, 65536],
    ['0.0.0.0/0', 0, 0, 2 ** 32],
    ['255.255.255.255/32', 4294967295, 32, 1],
    ['192.168.1.128/25', 3232235904, 25, 128],
  ])('parses %s', (text, network, prefixLength, size) => {
    const cidr = parseCidr(text);
    expect(cidr).toEqual({ network, prefixLength });
    expect(formatCidr(cidr)).toBe(text);
    expect(cidrSize(cidr)).toBe(size);
  });

  it.each([
    ['10.0.0.5/24', CidrHostBitsSetError, /host bits set; did you mean '10\.0\.0\.0\/24'/],
    ['10.1.2.3/8', CidrHostBitsSetError, /did you mean '10\.0\.0\.0\/8'/],
    ['10.0.0.256/24', InvalidCidrError, /octet 4 '256' is greater than 255/],
    ['10.0.0/24', InvalidCidrError, /expected 4 dot-separated octets, found 3/],
    ['10.0.0.01/32', InvalidCidrError, /octet 4 '01' is not a decimal number/],
    ['10.0.0.0', InvalidCidrError, /'\/prefix-length' part is missing/],
    ['10.0.0.0/x', InvalidCidrError, /prefix length 'x' is not a number/],
    ['10.0.0.0/33', CidrPrefixOutOfRangeError, /prefix length 33; an IPv4 prefix length must be 0 to 32/],
    ['fd00::/64', Ipv6NotSupportedError, /IPv6 is not supported/],
    [' 10.0.0.0/8', InvalidCidrError, /octet 1 ' 10'/],
  ])('rejects %s', (text, errorClass, message) => {
    expect(() => parseCidr(text)).toThrow(errorClass);
    expect(() => parseCidr(text)).toThrow(message);
  });

  // What callers (the HTTP API's problem details, stored app records) see: a stable code, never retryable (the
  // input must change), the input and the problem in details, and a message quoting the input.
  it.each<[string, string, Record<string, unknown>, string]>([
    ['10.0.0.0/24 ', 'InvalidCidr', { input: '10.0.0.0/24 ', problem: "prefix length '24 ' is not a number" }, "'10.0.0.0/24 ' is not an IPv4 CIDR block (a.b.c.d/n): prefix length '24 ' is not a number."],
    ['/24', 'InvalidCidr', { input: '/24', problem: 'expected 4 dot-separated octets, found 1' }, "'/24' is not an IPv4 CIDR block (a.b.c.d/n): expected 4 dot-separated octets, found 1."],
    ['10.0.0.0/1234', 'InvalidCidr', { input: '10.0.0.0/1234', problem: "prefix length '1234' is not a number" }, "'10.0.0.0/1234' is not an IPv4 CIDR block (a.b.c.d/n): prefix length '1234' is not a number."],
    ['10.0.0.0/x24', 'InvalidCidr', { input: '10.0.0.0/x24', problem: "prefix length 'x24' is not a number" }, "'10.0.0.0/x24' is not an IPv4 CIDR block (a.b.c.d/n): prefix length 'x24' is not a number."],
    ['10.0.0.0/99', 'CidrPrefixOutOfRange', { input: '10.0.0.0/99', prefixLength: 99 }, "'10.0.0.0/99' has prefix length 99; an IPv4 prefix length must be 0 to 32."],
    ['1.0.0.0/0', 'CidrHostBitsSet', { input: '1.0.0.0/0', canonical: '0.0.0.0/0' }, "'1.0.0.0/0' has host bits set; did you mean '0.0.0.0/0'?"],
    ['10.0.0.1/31', 'CidrHostBitsSet', { input: '10.0.0.1/31', canonical: '10.0.0.0/31' }, "'10.0.0.1/31' has host bits set; did you mean '10.0.0.0/31'?"],
    ['fd00::/8', 'Ipv6NotSupported', { input: 'fd00::/8' }, "'fd00::/8' is IPv6; IPv6 is not supported: regional VNet integration needs an IPv4 subnet prefix."],
  ])('refuses %j with code %s', (text, code, details, message) => {
    expect(() => parseCidr(text)).toThrow(expect.objectContaining({ code, retryable: false, details, message }) as Error);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    ['10.0.0', 'InvalidIpv4Address', { input: '10.0.0', problem: 'expected 4 dot-separated octets, found 3' }, "'10.0.0' is not an IPv4 address: expected 4 dot-separated octets, found 3."],
    ['fd00::1', 'Ipv6NotSupported', { input: 'fd00::1' }, "'fd00::1' is IPv6; IPv6 is not supported: regional VNet integration needs an IPv4 subnet prefix."],
  ])('refuses the address %j with code %s', (text, code, details, message) => {
    expect(() => parseIpv4Address(text)).toThrow(expect.objectContaining({ code, retryable: false, details, message }) as Error);
  });

  it('says which canonical prefix was meant in the error details', () => {
    try {
      parseCidr('172.16.5.9/12');
      expect.unreachable();
    } catch (error) {
      expect((error as CidrHostBitsSetError).details).toEqual({ input: '172.16.5.9/12', canonical: '172.16.0.0/12' });
    }
  });
});

describe('relations', () => {
  it.each([
    ['10.0.0.0/24', '10.0.0.128/25', true, true],
    ['10.0.0.0/24', '10.0.1.0/24', false, false],
    ['10.0.0.0/23', '10.0.1.0/24', true, true],
    ['10.0.1.0/24', '10.0.0.0/23', true, false],
    ['10.0.0.0/32', '10.0.0.0/32', true, true],
  ])('%s vs %s: overlap %s, contains %s', (a, b, overlap, contains) => {
    expect(cidrsOverlap(parseCidr(a), parseCidr(b))).toBe(overlap);
    expect(cidrsOverlap(parseCidr(b), parseCidr(a))).toBe(overlap);
    expect(cidrContains(parseCidr(a), parseCidr(b))).toBe(contains);
  });

  it.each([
    ['10.20.0.0/16', true],
    ['172.16.0.0/12', true],
    ['172.31.255.0/24', true],
    ['172.32.0.0/24', false],
    ['172.0.0.0/8', false],
    ['192.168.10.0/24', true],
    ['100.64.0.0/10', false],
    ['8.8.8.0/24', false],
    ['0.0.0.0/0', false],
  ])('isPrivate(%s) is %s', (text, expected) => {
    expect(isPrivate(parseCidr(text))).toBe(expected);
  });

  it.each([
    ['10.0.0.0', '10.255.255.255', true],
    ['10.0.0.0', '11.0.0.0', false],
    ['192.168.0.1', '192.168.0.9', true],
    ['52.0.0.1', '52.0.0.9', false],
  ])('isPrivateRange(%s..%s) is %s', (start, end, expected) => {
    expect(isPrivateRange(parseIpv4Address(start), parseIpv4Address(end))).toBe(expected);
  });

  it.each([
    ['10.0.0.0', '10.0.0.255', ['10.0.0.0/24']],
    ['10.0.0.16', '10.0.0.63', ['10.0.0.16/28', '10.0.0.32/27']],
    ['10.0.0.1', '10.0.0.2', ['10.0.0.1/32', '10.0.0.2/32']],
    ['0.0.0.0', '255.255.255.255', ['0.0.0.0/0']],
    ['0.0.0.0', '127.255.255.255', ['0.0.0.0/1']],
  ])('rangeToCidrs(%s..%s) is %j', (start, end, expected) => {
    expect(rangeToCidrs(parseIpv4Address(start), parseIpv4Address(end)).map(formatCidr)).toEqual(expected);
  });
});
