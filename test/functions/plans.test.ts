import { HttpRequest, InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { previewPlan } from '../../src/functions/plans.js';
import { fleet } from '../domain/inventory-fixture.js';

const post = (body: string, query = '') =>
  new HttpRequest({ method: 'POST', url: `http://localhost:7071/api/plans${query}`, headers: { 'content-type': 'application/json' }, body: { string: body } });
const context = () => new InvocationContext({ functionName: 'previewPlan' });

describe('POST /api/plans (dry run)', () => {
  it('answers the plan for a valid inventory, with the routing shape of the requested api-version', async () => {
    const current = await previewPlan(post(JSON.stringify(fleet())), context());
    expect(current.status).toBe(200);
    const plan = current.jsonBody as { apiVersion: string; groups: unknown[]; summary: { migrate: number } };
    expect(plan.apiVersion).toBe('2025-05-01');
    expect(plan.groups.length).toBeGreaterThan(0);
    expect(plan.summary.migrate).toBeGreaterThan(0);

    const older = await previewPlan(post(JSON.stringify(fleet()), '?apiVersion=2024-04-01'), context());
    expect(JSON.stringify(older.jsonBody)).not.toContain('outboundVnetRouting');
  });

  it.each([
    ['malformed JSON', '{"apps":', '', 400, 'InvalidRequestBody'],
    ['a secret-bearing app setting value', JSON.stringify({ ...fleet(), apps: [{ ...fleet().apps[0], appSettings: { DB_PASSWORD: 'x' } }] }), '', 400, 'InvalidRequestBody'],
    ['a bad api-version', JSON.stringify(fleet()), '?apiVersion=latest', 400, 'InvalidApiVersion'],
  ])('rejects %s with problem+json', async (_label, body, query, status, code) => {
    const response = await previewPlan(post(body, query), context());
    expect(response.status).toBe(status);
    expect((response.headers as Record<string, string>)['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body as string)).toMatchObject({ status, code });
  });
});
