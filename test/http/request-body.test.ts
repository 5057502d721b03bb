import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { problemResponse } from '../../src/http/problem.js';
import { InvalidRequestBodyError, readJsonBody, UnsupportedMediaTypeError } from '../../src/http/request-body.js';

const schema = z.object({ name: z.string().min(1), count: z.number().int().positive() });
const request = (body: string, contentType = 'application/json') =>
  new HttpRequest({ method: 'POST', url: 'http://localhost/api/x', headers: { 'content-type': contentType }, body: { string: body } });

describe('readJsonBody', () => {
  it('returns the parsed body when it matches', async () => {
    await expect(readJsonBody(request('{"name":"a","count":2}'), schema)).resolves.toEqual({ name: 'a', count: 2 });
  });

  it.each([
    ['not JSON', '{"name":', /not valid JSON/],
    ['wrong types', '{"name":"","count":-1}', /2 problems.*\/name.*\/count/],
    ['missing field', '{"name":"a"}', /\/count/],
  ])('rejects %s with an actionable message', async (_label, body, message) => {
    const error = await readJsonBody(request(body), schema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestBodyError);
    expect((error as InvalidRequestBodyError).message).toMatch(message);
    expect((error as InvalidRequestBodyError).retryable).toBe(false);
  });

  it('refuses a body that is not JSON by media type', async () => {
    await expect(readJsonBody(request('a=b', 'application/x-www-form-urlencoded'), schema)).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
  });
});

describe('problemResponse', () => {
  it('answers problem+json with the stable code and field errors', () => {
    const error = new InvalidRequestBodyError('bad', [{ path: '/name', message: 'Required' }]);
    const response = problemResponse(400, error.toJSON(), error.fieldErrors);
    expect(response.status).toBe(400);
    expect((response.headers as Record<string, string>)['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body as string)).toMatchObject({
      status: 400, title: 'Bad Request', code: 'InvalidRequestBody', detail: 'bad', retryable: false, errors: [{ path: '/name' }],
    });
  });
});
