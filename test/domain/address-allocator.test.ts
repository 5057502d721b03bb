import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressAllocator, AddressSpaceExhaustedError, allocateBlock, freeRanges } from '../../src/domain/address-allocator.js';
import { cidrContains, cidrSize, cidrsOverlap, formatCidr, parseCidr, type Cidr } from '../../src/domain/cidr.js';

const NUM_RUNS = 1000;
const cidrs = (...texts: string[]): Cidr[] => texts.map(parseCidr);

/** An aligned block of the given prefix length somewhere inside `space`. */
const blockInside = (space: Cidr, minPrefix: number, maxPrefix: number): fc.Arbitrary<Cidr> =>
  fc.integer({ min: Math.max(minPrefix, space.prefixLength), max: maxPrefix }).chain((prefixLength) => {
    const count = 2 ** (prefixLength - space.prefixLength);
    return fc.nat({ max: count - 1 }).map((index) => ({ network: space.network + index * 2 ** (32 - prefixLength), prefixLength }));
  });

/** A VNet shape: one or two address prefixes and some existing (possibly overlapping, as inventories can be) subnets. */
const vnetArbitrary = fc
  .tuple(
    fc.integer({ min: 16, max: 26 }),
    fc.nat({ max: 255 }),
    fc.boolean(),
  )
  .chain(([prefixLength, second, twoPrefixes]) => {
    const first: Cidr = { network: parseCidr('10.0.0.0/8').network + 0, prefixLength };
    const other: Cidr = { network: parseCidr('172.16.0.0/12').network + second * 2 ** 16, prefixLength: 24 };
    const space = twoPrefixes ? [first, other] : [first];
    const subnetsOf = (s: Cidr): fc.Arbitrary<Cidr[]> => fc.array(blockInside(s, s.prefixLength, 29), { maxLength: 6 });
    return fc.tuple(fc.constant(space), ...space.map(subnetsOf)).map(([sp, ...subs]) => ({ space: sp, subnets: subs.flat() }));
  });

function expectRunCount<Ts>(details: fc.RunDetails<Ts>, counted: number): void {
  expect(details.failed, fc.defaultReportMessage(details) ?? '').toBe(false);
  expect(details.numRuns).toBe(NUM_RUNS);
  expect(counted).toBe(NUM_RUNS);
}

describe('allocateBlock', () => {
  it.each([
    [['10.0.0.0/24'], [], 28, '10.0.0.0/28'],
    [['10.0.0.0/24'], ['10.0.0.0/28'], 28, '10.0.0.16/28'],
    [['10.0.0.0/24'], ['10.0.0.0/28'], 26, '10.0.0.64/26'],
    [['10.0.0.0/24'], ['10.0.0.0/26', '10.0.0.128/26'], 26, '10.0.0.64/26'],
    [['10.0.0.0/24', '10.1.0.0/24'], ['10.0.0.0/24'], 27, '10.1.0.0/27'],
    [['10.1.0.0/24', '10.0.0.0/24'], [], 27, '10.0.0.0/27'],
    [['10.0.0.0/16'], ['10.0.0.0/24', '10.0.1.0/25'], 23, '10.0.2.0/23'],
  ])('in %j with %j used, the lowest free /%i is %s', (space, used, prefixLength, expected) => {
    expect(formatCidr(allocateBlock(cidrs(...space), cidrs(...used), prefixLength))).toBe(expected);
  });

  it('throws AddressSpaceExhaustedError listing the free ranges when nothing aligned fits', () => {
    const space = cidrs('10.0.0.0/24');
    const used = cidrs('10.0.0.0/26', '10.0.0.96/27', '10.0.0.160/27', '10.0.0.192/26');
    expect(freeRanges(space, used).map(formatCidr)).toEqual(['10.0.0.64/27', '10.0.0.128/27']);
    try {
      allocateBlock(space, used, 26);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AddressSpaceExhaustedError);
      const exhausted = error as AddressSpaceExhaustedError;
      expect(exhausted.code).toBe('AddressSpaceExhausted');
      expect(exhausted.message).toContain('free ranges: 10.0.0.64/27, 10.0.0.128/27');
      expect(exhausted.details).toEqual({ prefixLength: 26, addressSpace: ['10.0.0.0/24'], freeRanges: ['10.0.0.64/27', '10.0.0.128/27'] });
    }
  });

  it('rejects a prefix length outside 0..32', () => {
    expect(() => allocateBlock(cidrs('10.0.0.0/24'), [], 33)).toThrow(/must be 0 to 32/);
  });

  it.each([-1, 24.5, Number.NaN])('rejects the prefix length %s, naming it', (prefixLength) => {
    expect(() => allocateBlock(cidrs('10.0.0.0/24'), [], prefixLength)).toThrow(`/${prefixLength}`);
  });

  it('allocates the whole space for /0 and a single address for /32', () => {
    expect(formatCidr(allocateBlock(cidrs('0.0.0.0/0'), [], 0))).toBe('0.0.0.0/0');
    expect(formatCidr(allocateBlock(cidrs('10.0.0.0/30'), cidrs('10.0.0.0/31', '10.0.0.2/32'), 32))).toBe('10.0.0.3/32');
  });

  it('says the exhausted space has no free range at all, in a message a person can act on', () => {
    try {
      allocateBlock(cidrs('10.0.0.0/28', '10.0.1.0/28'), cidrs('10.0.0.0/28', '10.0.1.0/28'), 29);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        retryable: false,
        message:
          'No free aligned /29 block in address space 10.0.0.0/28, 10.0.1.0/28; free ranges: none. Add an address prefix to the VNet, ' +
          'free a subnet, or use a smaller subnet if the plan allows it.',
      });
    }
  });
  it('property: an allocation is aligned, inside the space and overlaps no existing subnet', () => {
    let runs = 0;
    const details = fc.check(
      fc.property(vnetArbitrary, fc.integer({ min: 24, max: 29 }), ({ space, subnets }, prefixLength) => {
        runs += 1;
        let block: Cidr;
        try {
          block = allocateBlock(space, subnets, prefixLength);
        } catch (error) {
          return error instanceof AddressSpaceExhaustedError;
        }
        return (
          block.prefixLength === prefixLength &&
          block.network % cidrSize(block) === 0 &&
          space.some((s) => cidrContains(s, block)) &&
          subnets.every((s) => !cidrsOverlap(s, block))
        );
      }),
      { numRuns: NUM_RUNS, seed: 20261121 },
    );
    expectRunCount(details, runs);
  });

  it('property: allocating repeatedly never overlaps earlier allocations or existing subnets', () => {
    let runs = 0;
    const details = fc.check(
      fc.property(vnetArbitrary, fc.array(fc.integer({ min: 24, max: 29 }), { minLength: 1, maxLength: 12 }), ({ space, subnets }, sizes) => {
        runs += 1;
        const allocator = new AddressAllocator(space, subnets);
        const given: Cidr[] = [];
        for (const prefixLength of sizes) {
          try {
            const block = allocator.allocate(prefixLength);
            if (given.some((g) => cidrsOverlap(g, block)) || subnets.some((s) => cidrsOverlap(s, block))) return false;
            if (!space.some((s) => cidrContains(s, block))) return false;
            given.push(block);
          } catch (error) {
            if (!(error instanceof AddressSpaceExhaustedError)) return false;
          }
        }
        return true;
      }),
      { numRuns: NUM_RUNS, seed: 42 },
    );
    expectRunCount(details, runs);
  });

  it('property (brute force on small spaces): exhausted means no free aligned block exists; otherwise the lowest one is returned', () => {
    let runs = 0;
    let exhaustedCases = 0;
    const smallSpace = fc.integer({ min: 24, max: 28 }).map((prefixLength): Cidr => ({ network: parseCidr('192.168.0.0/16').network, prefixLength }));
    const details = fc.check(
      fc.property(
        smallSpace.chain((space) => fc.tuple(fc.constant(space), fc.array(blockInside(space, space.prefixLength, 32), { maxLength: 10 }))),
        fc.integer({ min: 24, max: 32 }),
        ([space, used], prefixLength) => {
          runs += 1;
          const size = 2 ** (32 - prefixLength);
          const candidates: Cidr[] = [];
          for (let network = space.network; network + size - 1 <= space.network + cidrSize(space) - 1; network += size) {
            const candidate = { network, prefixLength };
            if (used.every((u) => !cidrsOverlap(u, candidate))) candidates.push(candidate);
          }
          try {
            const block = allocateBlock([space], used, prefixLength);
            return candidates.length > 0 && candidates[0]?.network === block.network;
          } catch (error) {
            exhaustedCases += 1;
            return error instanceof AddressSpaceExhaustedError && candidates.length === 0;
          }
        },
      ),
      { numRuns: NUM_RUNS, seed: 7 },
    );
    expectRunCount(details, runs);
    // The generator must actually reach the exhausted branch, or the property proves nothing about it.
    expect(exhaustedCases).toBeGreaterThan(50);
  });

  it('is deterministic: the same input always yields the same block', () => {
    const space = cidrs('10.0.0.0/22');
    const used = cidrs('10.0.1.0/24', '10.0.0.0/27');
    const first = formatCidr(allocateBlock(space, used, 26));
    expect(formatCidr(allocateBlock(space, [...used].reverse(), 26))).toBe(first);
  });
});

describe('freeRanges', () => {
  it.each([
    ['nothing used: the space itself', ['10.0.0.0/24'], [], ['10.0.0.0/24']],
    ['all used', ['10.0.0.0/24'], ['10.0.0.0/25', '10.0.0.128/25'], []],
    ['the first half used', ['10.0.0.0/24'], ['10.0.0.0/25'], ['10.0.0.128/25']],
    ['the last half used', ['10.0.0.0/24'], ['10.0.0.128/25'], ['10.0.0.0/25']],
    ['only the last address free', ['10.0.0.0/29'], ['10.0.0.0/30', '10.0.0.4/31', '10.0.0.6/32'], ['10.0.0.7/32']],
    ['only the first address free', ['10.0.0.0/29'], ['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/30'], ['10.0.0.0/32']],
    ['nested and overlapping used blocks', ['10.0.0.0/24'], ['10.0.0.0/26', '10.0.0.0/25', '10.0.0.32/27'], ['10.0.0.128/25']],
    ['two adjacent address prefixes: one range across both', ['10.0.0.0/25', '10.0.0.128/25'], [], ['10.0.0.0/24']],
    ['overlapping address prefixes: each free range once', ['10.0.0.0/24', '10.0.0.0/25'], ['10.0.0.0/26'], ['10.0.0.64/26', '10.0.0.128/25']],
    ['used blocks outside the space are ignored', ['10.0.0.0/24'], ['10.1.0.0/16', '9.0.0.0/8'], ['10.0.0.0/24']],
  ])('%s', (_label, space, used, expected) => {
    expect(freeRanges(cidrs(...space), cidrs(...used)).map(formatCidr)).toEqual(expected);
    expect(new AddressAllocator(cidrs(...space), cidrs(...used)).freeRanges().map(formatCidr)).toEqual(expected);
  });

  it('counts a reserved block as used', () => {
    const allocator = new AddressAllocator(cidrs('10.0.0.0/24'), []);
    allocator.reserve(parseCidr('10.0.0.0/25'));
    expect(allocator.freeRanges().map(formatCidr)).toEqual(['10.0.0.128/25']);
    expect(formatCidr(allocator.allocate(26))).toBe('10.0.0.128/26');
  });
});

describe('allocateBlock: prefix lengths it refuses', () => {
  it.each([-1, 24.5, 33])('refuses /%s as out of range, before looking for room', (prefixLength) => {
    expect(() => allocateBlock(cidrs('10.0.0.0/24'), [], prefixLength)).toThrow(expect.objectContaining({ code: 'CidrPrefixOutOfRange' }) as Error);
  });
});
