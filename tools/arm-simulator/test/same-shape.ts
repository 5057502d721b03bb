/** Where an actual JSON document lacks a field the reference has, or holds it with another JSON type. */
export interface ShapeDifference {
  readonly path: string;
  readonly expected: string;
  readonly actual: string;
}

export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * "Same fields, same types": every field of `reference` must exist in `actual` with the same JSON type, recursively.
 * Array elements are compared element-wise against the reference's first element (ARM lists are homogeneous).
 * A reference null accepts anything (the example did not know the type); extra fields in `actual` are fine.
 */
export function sameShape(reference: unknown, actual: unknown, path = '$'): ShapeDifference[] {
  const expectedType = jsonType(reference);
  const actualType = jsonType(actual);
  if (expectedType === 'null') return [];
  if (actual === undefined) return [{ path, expected: expectedType, actual: 'missing' }];
  if (expectedType !== actualType) return [{ path, expected: expectedType, actual: actualType }];
  if (expectedType === 'array') {
    const template = (reference as unknown[])[0];
    const items = actual as unknown[];
    if (template === undefined) return [];
    if (items.length === 0) return [{ path: `${path}[]`, expected: jsonType(template), actual: 'empty array' }];
    return items.flatMap((item, i) => sameShape(template, item, `${path}[${i}]`));
  }
  if (expectedType === 'object') {
    const ref = reference as Record<string, unknown>;
    const act = actual as Record<string, unknown>;
    return Object.keys(ref).flatMap((key) => sameShape(ref[key], act[key], `${path}.${key}`));
  }
  return [];
}
