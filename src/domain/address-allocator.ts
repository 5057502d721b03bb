/**
 * Finds room for a new integration subnet inside a VNet's address space.
 *
 * The rule is "lowest aligned free block": deterministic (the same VNet always yields the same prefix, so a
 * re-planned migration does not drift), and it packs new subnets low, leaving the largest contiguous space free.
 */
import {
  CidrPrefixOutOfRangeError,
  cidrSize,
  formatCidr,
  lastAddress,
  rangeToCidrs,
  type Cidr,
} from './cidr.js';
import { MigratorError } from './errors.js';

export class AddressSpaceExhaustedError extends MigratorError {
  readonly code = 'AddressSpaceExhausted';
  constructor(prefixLength: number, addressSpace: readonly Cidr[], freeRanges: readonly Cidr[]) {
    const free = freeRanges.map(formatCidr);
    const space = addressSpace.map(formatCidr);
    super(
      `No free aligned /${prefixLength} block in address space ${space.join(', ')}; free ranges: ` +
        `${free.length === 0 ? 'none' : free.join(', ')}. Add an address prefix to the VNet, free a subnet, ` +
        'or use a smaller subnet if the plan allows it.',
      false,
      { details: { prefixLength, addressSpace: space, freeRanges: free } },
    );
  }
}

interface Interval {
  start: number;
  end: number;
}

function toIntervals(blocks: readonly Cidr[]): Interval[] {
  const sorted = blocks.map((b) => ({ start: b.network, end: lastAddress(b) })).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.start <= last.end + 1) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

function freeIntervals(addressSpace: readonly Cidr[], used: readonly Cidr[]): Interval[] {
  const taken = toIntervals(used);
  const free: Interval[] = [];
  for (const space of toIntervals(addressSpace)) {
    let cursor = space.start;
    for (const block of taken) {
      if (block.end < cursor || block.start > space.end) continue;
      if (block.start > cursor) free.push({ start: cursor, end: block.start - 1 });
      cursor = block.end + 1;
    }
    if (cursor <= space.end) free.push({ start: cursor, end: space.end });
  }
  return free;
}

/** The unused parts of the address space, as the fewest CIDR blocks, lowest first. */
export function freeRanges(addressSpace: readonly Cidr[], used: readonly Cidr[]): Cidr[] {
  return freeIntervals(addressSpace, used).flatMap((interval) => rangeToCidrs(interval.start, interval.end));
}

/**
 * The lowest block of `prefixLength` that is aligned, inside `addressSpace` and overlaps nothing in `used`.
 * Throws AddressSpaceExhaustedError listing the free ranges when there is none.
 */
export function allocateBlock(addressSpace: readonly Cidr[], used: readonly Cidr[], prefixLength: number): Cidr {
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
    throw new CidrPrefixOutOfRangeError(`/${prefixLength}`, prefixLength);
  }
  const size = cidrSize({ network: 0, prefixLength });
  for (const interval of freeIntervals(addressSpace, used)) {
    const aligned = Math.ceil(interval.start / size) * size;
    if (aligned + size - 1 <= interval.end) return { network: aligned, prefixLength };
  }
  throw new AddressSpaceExhaustedError(prefixLength, addressSpace, freeRanges(addressSpace, used));
}

/**
 * Allocates blocks one after another from one address space, remembering what it handed out so no two
 * allocations ever overlap.
 */
export class AddressAllocator {
  private readonly used: Cidr[];

  constructor(
    private readonly addressSpace: readonly Cidr[],
    used: readonly Cidr[],
  ) {
    this.used = [...used];
  }

  allocate(prefixLength: number): Cidr {
    const block = allocateBlock(this.addressSpace, this.used, prefixLength);
    this.used.push(block);
    return block;
  }

  /** Marks a block as taken without allocating it (a subnet chosen for reuse, for instance). */
  reserve(block: Cidr): void {
    this.used.push(block);
  }

  freeRanges(): Cidr[] {
    return freeRanges(this.addressSpace, this.used);
  }
}
