import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appsIn, cutBatch, FIRST_APP, type BatchCursor, type BatchSegment } from '../../src/domain/migration-batches.js';

describe('migration batches', () => {
  it('cuts plan groups into batches of apps, a batch ending inside a group', () => {
    const sizes = [3, 1, 4];
    const first = cutBatch(sizes, FIRST_APP, 2);
    expect(first).toEqual({ segments: [{ groupIndex: 0, fromOrder: 0, toOrder: 2 }], cursor: { groupIndex: 0, order: 2 }, queued: 6 });
    const second = cutBatch(sizes, first.cursor, 3);
    expect(second.segments).toEqual([
      { groupIndex: 0, fromOrder: 2, toOrder: 3 },
      { groupIndex: 1, fromOrder: 0, toOrder: 1 },
      { groupIndex: 2, fromOrder: 0, toOrder: 1 },
    ]);
    expect(second.queued).toBe(3);
    const last = cutBatch(sizes, second.cursor, 10);
    expect(last.segments).toEqual([{ groupIndex: 2, fromOrder: 1, toOrder: 4 }]);
    expect(last.queued).toBe(0);
    expect(cutBatch(sizes, last.cursor, 10).segments).toEqual([]);
    expect(() => cutBatch(sizes, FIRST_APP, 0)).toThrow(RangeError);
  });

  it('skips empty groups', () => {
    expect(cutBatch([0, 2, 0, 1], FIRST_APP, 5).segments).toEqual([
      { groupIndex: 1, fromOrder: 0, toOrder: 2 },
      { groupIndex: 3, fromOrder: 0, toOrder: 1 },
    ]);
  });

  it('once every app is in a batch, cutting again changes nothing: no segment, the same cursor, none queued', () => {
    const sizes = [3, 2];
    const all = cutBatch(sizes, FIRST_APP, 10);
    expect(all.cursor).toEqual({ groupIndex: 2, order: 0 });
    expect(cutBatch(sizes, all.cursor, 10)).toEqual({ segments: [], cursor: all.cursor, queued: 0 });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a batch size of %s, saying so', (size) => {
    expect(() => cutBatch([1], FIRST_APP, size)).toThrow(new RangeError(`batch size must be a positive integer, not ${size}`));
  });

  it('counts the apps in segments of several groups', () => {
    expect(appsIn([])).toBe(0);
    expect(appsIn([{ groupIndex: 0, fromOrder: 2, toOrder: 5 }, { groupIndex: 1, fromOrder: 0, toOrder: 1 }])).toBe(4);
  });

  it('property: successive batches cover every app exactly once, in order, each at most batchSize', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 12 }), fc.integer({ min: 1, max: 30 }), (sizes, size) => {
        const total = sizes.reduce((a, b) => a + b, 0);
        const seen: string[] = [];
        let cursor: BatchCursor = FIRST_APP;
        for (let guard = 0; guard <= total; guard++) {
          const batch = cutBatch(sizes, cursor, size);
          if (batch.segments.length === 0) break;
          expect(appsIn(batch.segments)).toBeLessThanOrEqual(size);
          for (const s of batch.segments as BatchSegment[]) for (let o = s.fromOrder; o < s.toOrder; o++) seen.push(`${s.groupIndex}:${o}`);
          expect(batch.queued).toBe(total - seen.length);
          cursor = batch.cursor;
        }
        const expected = sizes.flatMap((n, g) => Array.from({ length: n }, (_, o) => `${g}:${o}`));
        expect(seen).toEqual(expected);
      }),
    );
  });
});
