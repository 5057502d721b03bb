import { describe, expect, it } from 'vitest';
import { sameShape } from './same-shape.js';

describe('sameShape comparator', () => {
  it('accepts equal shapes with different values and extra fields', () => {
    expect(sameShape({ a: 1, b: { c: 'x', d: [true] } }, { a: 2, b: { c: 'y', d: [false, true] }, extra: 1 })).toEqual([]);
  });

  it('reports missing fields, type changes and empty arrays with their paths', () => {
    expect(sameShape({ a: 1, b: { c: 'x' }, l: [{ n: 1 }], m: [1] }, { a: '1', b: {}, l: [{ n: 'one' }], m: [] })).toEqual([
      { path: '$.a', expected: 'number', actual: 'string' },
      { path: '$.b.c', expected: 'string', actual: 'missing' },
      { path: '$.l[0].n', expected: 'number', actual: 'string' },
      { path: '$.m[]', expected: 'number', actual: 'empty array' },
    ]);
  });

  it('treats a null in the reference as unknown type', () => {
    expect(sameShape({ a: null }, { a: 5 })).toEqual([]);
    expect(sameShape({ a: 5 }, { a: null })).toEqual([{ path: '$.a', expected: 'number', actual: 'null' }]);
  });
});
