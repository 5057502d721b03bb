import { HttpRequest, InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import type { InventoryInput } from '../../src/domain/inventory.js';
import type { MigrationPlan } from '../../src/domain/plan-builder.js';
import { previewPlan } from '../../src/functions/plans.js';
import { app, fleet, planId, siteId, subnetId, vnetId } from '../domain/inventory-fixture.js';
import { responseProblems } from '../support/openapi-responses.js';

const post = (body: string, query = '') =>
  new HttpRequest({ method: 'POST', url: `http://localhost:7071/api/plans${query}`, headers: { 'content-type': 'application/json' }, body: { string: body } });
const context = () => new InvocationContext({ functionName: 'previewPlan' });

interface Answer {
  readonly status: number;
  readonly body: { code?: string; detail?: string; errors?: { path: string; message: string }[] } & Partial<MigrationPlan>;
}

async function plan(input: unknown, query = ''): Promise<Answer> {
  const response = await previewPlan(post(typeof input === 'string' ? input : JSON.stringify(input), query), context());
  const headers = response.headers as Record<string, string> | undefined;
  const body = (response.jsonBody ?? JSON.parse(response.body as string)) as Answer['body'];
  const contentType = headers?.['content-type'] ?? 'application/json';
  expect(responseProblems('POST', '/plans', { status: response.status ?? 200, contentType, body }), JSON.stringify(body).slice(0, 500)).toEqual([]);
  return { status: response.status ?? 200, body };
}

function changed(mutate: (f: InventoryInput) => void): InventoryInput {
  const input = fleet();
  mutate(input);
  return input;
}

describe('POST /api/plans (dry run)', () => {
  it('answers the plan for a valid inventory, with the routing shape of the requested api-version', async () => {
    const current = await plan(fleet());
    expect(current.status).toBe(200);
    expect(current.body.apiVersion).toBe('2025-05-01');
    expect(current.body.groups?.length).toBeGreaterThan(0);
    expect(current.body.summary?.migrate).toBeGreaterThan(0);

    const older = await plan(fleet(), '?apiVersion=2024-04-01');
    expect(JSON.stringify(older.body)).not.toContain('outboundVnetRouting');
  });

  it('takes ARM\'s spelling ?api-version= too', async () => {
    const older = await plan(fleet(), '?api-version=2024-04-01');
    expect(older.body.apiVersion).toBe('2024-04-01');
  });

  it.each([
    ['malformed JSON', '{"apps":', '', 'InvalidRequestBody'],
    ['a secret-bearing app setting value', JSON.stringify(changed((f) => Object.assign(f.apps[0] ?? {}, { appSettings: { DB_PASSWORD: 'x' } }))), '', 'InvalidRequestBody'],
    ['a bad api-version', JSON.stringify(fleet()), '?apiVersion=latest', 'InvalidApiVersion'],
    ['an api-version that is no date', JSON.stringify(fleet()), '?apiVersion=9999-99-99', 'InvalidApiVersion'],
    ['an api-version before the routing properties existed', JSON.stringify(fleet()), '?api-version=2019-01-01', 'InvalidApiVersion'],
    ['api-version and apiVersion that disagree', JSON.stringify(fleet()), '?api-version=2024-04-01&apiVersion=2025-05-01', 'InvalidApiVersion'],
  ])('rejects %s with problem+json 400', async (_label, body, query, code) => {
    const answer = await plan(body, query);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(code);
  });

  it.each<[string, (f: InventoryInput) => void, RegExp, RegExp]>([
    [
      'a route whose start is after its end',
      (f) => f.apps.push(app('r', 'p1', null, { gatewayConnections: [{ vnetId: vnetId('hub'), routes: [{ startAddress: '52.0.0.9', endAddress: '52.0.0.1' }] }] })),
      /^\/apps\/\d+\/gatewayConnections\/0\/routes\/0\/endAddress$/,
      /ends \(52\.0\.0\.1\) before it starts \(52\.0\.0\.9\)/,
    ],
    [
      'a subnet outside its VNet',
      (f) => Object.assign(f.virtualNetworks[2] ?? {}, { subnets: [{ id: subnetId('local', 'stray'), addressPrefix: '192.168.0.0/28' }] }),
      /^\/virtualNetworks\/2\/subnets\/0\/addressPrefix$/,
      /outside the VNet's address space \(10\.60\.0\.0\/24\)/,
    ],
    [
      'overlapping subnets',
      (f) => f.virtualNetworks[0]?.subnets?.push({ id: subnetId('hub', 'overlap'), addressPrefix: '10.0.1.32/27' }),
      /^\/virtualNetworks\/0\/subnets\/3\/addressPrefix$/,
      /overlaps 10\.0\.1\.0\/26/,
    ],
    ['overlapping VNet prefixes', (f) => f.virtualNetworks[0]?.addressPrefixes.push('10.0.128.0/17'), /^\/virtualNetworks\/0\/addressPrefixes\/1$/, /overlaps 10\.0\.0\.0\/16/],
    ['a NUL byte in an id', (f) => f.apps.push(app(siteId('nul\u0000app'), 'p1', null)), /^\/apps\/\d+\/id$/, /control characters/],
    ['a 100,000-character name in an id', (f) => f.apps.push(app(siteId('n'.repeat(100_000)), 'p1', null)), /^\/apps\/\d+\/id$/, /at most 1024 characters/],
    ['a 91-character name in an id', (f) => f.apps.push(app(siteId('n'.repeat(91)), 'p1', null)), /^\/apps\/\d+\/id$/, /at most 90/],
  ])('refuses %s, naming where', async (_label, mutate, path, message) => {
    const answer = await plan(changed(mutate));
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.some((e) => path.test(e.path) && message.test(e.message)), JSON.stringify(answer.body.errors)).toBe(true);
    expect(JSON.stringify(answer.body).length).toBeLessThan(16 * 1024);
  });

  it('names the new subnet of a non-ASCII plan readably and validly', async () => {
    const input = changed((f) => {
      f.plans.push({ id: planId('東京-prödüktion'), location: 'West Europe', sku: { name: 'P1v3', tier: 'PremiumV3' }, maximumNumberOfWorkers: 3 });
      f.plans.push({ id: planId('東京'), location: 'West Europe', sku: { name: 'P1v3', tier: 'PremiumV3' }, maximumNumberOfWorkers: 3 });
      f.apps.push(app('tokyo-a', '東京-prödüktion', 'hub'), app('tokyo-b', '東京', 'hub'));
    });
    const answer = await plan(input);
    const subnetOf = (plan: string) => answer.body.groups?.find((g) => g.planId === planId(plan))?.subnets[0]?.name;
    expect(subnetOf('東京-prödüktion')).toMatch(/^asp-produktion-[0-9a-f]{6}-integration$/);
    expect(subnetOf('東京')).toMatch(/^asp-[0-9a-f]{6}-integration$/);
  });

  it('says a plan needs a subnet larger than the tool plans, not that a VNet with free /8 space has no room', async () => {
    const input = changed((f) => {
      f.virtualNetworks.push({ id: vnetId('big'), location: 'westeurope', addressPrefixes: ['11.0.0.0/8'] });
      f.plans.push({ id: planId('huge'), location: 'West Europe', sku: { name: 'P1v3', tier: 'PremiumV3' }, maximumNumberOfWorkers: 1000 });
      // 40 Windows container apps at 1,000 instances: 2 x 41,000 + 5 addresses, a /15.
      for (let i = 0; i < 40; i += 1) f.apps.push(app(`huge-${i}`, 'huge', 'big', { hyperV: true }));
    });
    const answer = await plan(input);
    const skipped = answer.body.skipped?.find((s) => s.appId === siteId('huge-0'));
    expect(skipped?.reason).toBe('no-address-space');
    expect(skipped?.message).toMatch(/needs 82005 addresses, a \/15 subnet, larger than the \/16 this tool plans/);
    expect(skipped?.message).not.toMatch(/no free/);
  });

  it('lists a public range once when both the app and its plan route it', async () => {
    const input = changed((f) => {
      const p1 = f.plans[0];
      if (p1 !== undefined) p1.vnetRoutes = [{ vnetId: vnetId('hub'), routes: [{ startAddress: '52.1.0.0', endAddress: '52.1.0.255' }] }];
    });
    const answer = await plan(input);
    const a2 = answer.body.groups?.flatMap((g) => g.apps).find((a) => a.appId === siteId('a2'));
    const reason = a2?.routing.reasons.find((r) => r.includes('the gateway routed')) ?? '';
    expect(reason.match(/52\.1\.0\.0-52\.1\.0\.255/g)).toHaveLength(1);
  });
});
