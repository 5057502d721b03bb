import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiText } from '../../src/http/openapi-document.js';
import { OPENAPI, responseProblems } from '../support/openapi-responses.js';

const repo = path.resolve(import.meta.dirname, '../..');

describe('the OpenAPI document', () => {
  it('is committed as generated from the zod schemas (run `npm run build && node scripts/openapi.mjs` after changing them)', () => {
    expect(readFileSync(path.join(repo, 'docs/openapi.json'), 'utf8')).toBe(openApiText());
  });

  it('describes every registered route, and every keyed operation answers 401 and problem+json errors', () => {
    const functionsDir = path.join(repo, 'src/functions');
    // Every registration file, so a new route (the dashboard's, the report's) cannot be left out of the document.
    const sources = readdirSync(functionsDir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(functionsDir, f), 'utf8')).join('\n');
    const routes = [...sources.matchAll(/route: [`']([^`']+)[`']/g)].map((m) => `/${m[1] ?? ''}`.replace('${action}', 'pause'));
    for (const route of routes) expect(Object.keys(OPENAPI.paths), route).toContain(route);
    for (const [template, operations] of Object.entries(OPENAPI.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const keyed = (operation as { security?: unknown[] }).security === undefined;
        if (keyed) expect(Object.keys(operation.responses), `${method} ${template}`).toContain('401');
      }
    }
  });

  it('refuses a response that does not match (the validator is not a rubber stamp)', () => {
    expect(responseProblems('GET', '/health', { status: 200, contentType: 'application/json', body: { status: 'ok', service: 'x' } })).toEqual([]);
    expect(responseProblems('GET', '/health', { status: 200, contentType: 'application/json', body: { status: 'down' } })).not.toEqual([]);
    expect(responseProblems('GET', '/health', { status: 200, contentType: 'text/plain', body: {} })).not.toEqual([]);
    expect(responseProblems('GET', '/migrations/{id}', { status: 418, contentType: 'application/json', body: {} })).not.toEqual([]);
    expect(responseProblems('POST', '/plans', { status: 400, contentType: 'application/problem+json', body: { status: 400 } })).not.toEqual([]);
  });
});
