import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_FIELD_ERRORS_SHOWN, problemResponse } from '../../src/http/problem.js';
import { InvalidRequestBodyError, PayloadTooLargeError, readBodyText, readJsonBody, UnsupportedMediaTypeError } from '../../src/http/request-body.js';

const schema = z.strictObject({ name: z.string().min(1).max(20), count: z.number().int().positive(), items: z.array(z.strictObject({ n: z.number() })).max(1000).default([]) });
const request = (body: string, contentType = 'application/json', headers: Record<string, string> = {}) =>
  new HttpRequest({ method: 'POST', url: 'http://localhost/api/x', headers: { 'content-type': contentType, ...headers }, body: { string: body } });
const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('expected a refusal'), (e: unknown) => e);

/**
 * A body sent in chunks without Content-Length, as a chunked upload arrives: a fetch Request (HttpRequest's own
 * interface for headers and body) over a stream that counts what was pulled from it.
 */
function streamed(chunks: number, chunkBytes: number): { request: Request; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled += 1;
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x20));
    },
  });
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit;
  return { request: new Request('http://localhost/api/x', init), pulled: () => pulled };
}

describe('readJsonBody', () => {
  it('returns the parsed body when it matches', async () => {
    await expect(readJsonBody(request('{"name":"a","count":2}'), schema)).resolves.toEqual({ name: 'a', count: 2, items: [] });
  });

  it.each([
    ['not JSON', '{"name":', /not valid JSON/],
    ['empty', '  ', /empty/],
    ['wrong types', '{"name":"","count":-1}', /2 problems.*\/name.*\/count/],
    ['missing field', '{"name":"a"}', /\/count/],
    ['an unknown field', '{"name":"a","count":1,"extra":true}', /extra/],
  ])('rejects %s with an actionable message', async (_label, body, message) => {
    const error = await failure(readJsonBody(request(body), schema));
    expect(error).toBeInstanceOf(InvalidRequestBodyError);
    expect((error as InvalidRequestBodyError).message).toMatch(message);
    expect((error as InvalidRequestBodyError).retryable).toBe(false);
  });

  it('refuses a body that is not JSON by media type', async () => {
    await expect(readJsonBody(request('a=b', 'application/x-www-form-urlencoded'), schema)).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const error = await failure(readJsonBody(request('{}', 'application/json', { 'content-length': '5000' }), schema, { maxBytes: 4096 }));
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).details).toEqual({ limitInBytes: 4096 });
  });

  it('stops reading a body without Content-Length once it passes the limit', async () => {
    const body = streamed(1000, 1024);
    await expect(readBodyText(body.request, 8 * 1024)).rejects.toBeInstanceOf(PayloadTooLargeError);
    // It read past the limit by at most the stream's read-ahead, never the whole megabyte.
    expect(body.pulled()).toBeLessThan(20);
  });

  it('refuses a list over its maximum before validating any item, with one problem', async () => {
    const items = Array.from({ length: 5000 }, () => ({ n: 'not a number' }));
    const error = (await failure(readJsonBody(request(JSON.stringify({ name: 'a', count: 1, items })), schema, { maxBytes: 1e6 }))) as InvalidRequestBodyError;
    expect(error.fieldErrors).toEqual({ shown: [{ path: '/items', message: 'must have at most 1000 items (got 5000)' }], count: 1, exact: true });
  });

  it('stops after the issue budget on many bad items and says the count is a lower bound', async () => {
    const items = Array.from({ length: 1000 }, () => ({ n: 'x', extra: 1 }));
    const error = (await failure(readJsonBody(request(JSON.stringify({ name: 'a', count: 1, items })), schema, { maxBytes: 1e6, maxIssues: 50 }))) as InvalidRequestBodyError;
    expect(error.fieldErrors.count).toBe(50);
    expect(error.fieldErrors.exact).toBe(false);
    expect(error.message).toMatch(/50 or more problems/);
  });

  it('refuses an over-long string on its length, without quoting it', async () => {
    const error = (await failure(readJsonBody(request(JSON.stringify({ name: 'n'.repeat(100_000), count: 1 })), schema, { maxBytes: 1e6 }))) as InvalidRequestBodyError;
    expect(error.fieldErrors.shown).toEqual([{ path: '/name', message: 'must be at most 20 characters (got 100000)' }]);
  });
});

describe('problemResponse', () => {
  it('answers problem+json with the stable code and field errors', () => {
    const error = new InvalidRequestBodyError('bad', [{ path: '/name', message: 'Required' }]);
    const response = problemResponse(400, error.toJSON(), error.fieldErrors);
    expect(response.status).toBe(400);
    expect((response.headers as Record<string, string>)['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body as string)).toMatchObject({
      status: 400, title: 'Bad Request', code: 'InvalidRequestBody', detail: 'bad', retryable: false, errors: [{ path: '/name' }], errorCount: 1, errorCountExact: true,
    });
  });

  it('shows at most a bounded number of field errors, each clipped, with the total count', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ path: `/items/${i}`, message: 'x'.repeat(10_000) }));
    const body = JSON.parse(problemResponse(400, new InvalidRequestBodyError('bad', many).toJSON(), many).body as string) as { errors: { message: string }[]; errorCount: number };
    expect(body.errors).toHaveLength(MAX_FIELD_ERRORS_SHOWN);
    expect(body.errorCount).toBe(500);
    expect(Math.max(...body.errors.map((e) => e.message.length))).toBeLessThanOrEqual(300);
  });
});
