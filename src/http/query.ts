/**
 * Query parameters (and other small string inputs: route values, headers) validated with zod, refused as
 * InvalidQuery with every problem named. Only the names the schema lists are read: `code` (the function key) and
 * the like pass by.
 */
import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { InvalidQueryError } from './api-errors.js';
import { clip } from './problem.js';

export const PageQuerySchema = z.strictObject({
  top: z.coerce.number().int().min(1).max(1000).default(100),
  /** The service's own token from the previous page's `continuationToken`; opaque. */
  continuationToken: z.string().min(1).max(2048).optional(),
});

export function readQuery<Schema extends z.ZodObject>(request: HttpRequest, schema: Schema): z.output<Schema> {
  const values: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = request.query.get(name);
    if (value !== null) values[name] = value;
  }
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || 'query'}: ${clip(issue.message, 200)}`);
  throw new InvalidQueryError(`The query is invalid: ${problems.join('; ')}.`);
}

/** Next page's link: the same query with the new token. */
export function nextLink(base: string, query: Readonly<Record<string, string | number | undefined>>, token: string | undefined): string | null {
  if (token === undefined) return null;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && name !== 'continuationToken') params.set(name, String(value));
  params.set('continuationToken', token);
  return `${base}?${params.toString()}`;
}
