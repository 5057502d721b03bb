/**
 * The dashboard and the readiness report in a real browser (Debian's chromium, headless), against the whole
 * product on the local host with the demo fleet and a function key: pages load with no console error (a CSP
 * violation is one), the live counts follow the apps as they move, the Pause button pauses the migration through
 * the API, and the report's figures equal the dry run's. Screenshots go to docs/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DryRunView, MigrationView } from '../../src/cli/api-types.js';
import { appDowntimeSeconds, buildReadinessReport, DEFAULT_STEP_SECONDS } from '../../src/domain/readiness-report.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { requireFreshBuild } from '../support/compiled.js';
import { launchBrowser, nextUpdate, screenshot, watchedPage, type InPage } from './browser.js';
import { startEngineWorld, type EngineWorld } from './engine-harness.js';

const SUBSCRIPTIONS = Object.values(DEMO_SUBSCRIPTIONS);
const KEY = 'dashboard-test-key';
const AUTH = { 'x-functions-key': KEY };

describe('dashboard and readiness report in chromium', () => {
  let world: EngineWorld;
  let browser: Browser;
  let origin: string;
  const api = <T>(method: string, path: string, body?: unknown) => world.api<T>(method, path, body, AUTH);
  const statusOf = async (id: string): Promise<string> => (await api<MigrationView>('GET', `/migrations/${id}`)).body.status;

  beforeAll(async () => {
    requireFreshBuild();
    [world, browser] = await Promise.all([
      startEngineWorld({ simulator: { longRunningOperationMs: 0 }, env: { FUNCTIONS_KEY: KEY } }),
      launchBrowser(),
    ]);
    origin = world.host.apiUrl.replace(/\/api$/, '');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await world?.stop();
  });

  it('refuses the page without the key and serves its assets without one, under a self-only CSP', async () => {
    expect((await fetch(`${origin}/api/dashboard`)).status).toBe(401);
    const css = await fetch(`${origin}/api/dashboard/assets/dashboard.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    const script = await fetch(`${origin}/api/dashboard/assets/client.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect((await fetch(`${origin}/api/dashboard/assets/..%2Fpage.js`)).status).toBe(404);
    const page = await fetch(`${origin}/api/dashboard?code=${KEY}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it("prints the dry run's figures in the readiness report, and the same as CSV", async () => {
    const request = { scope: { subscriptionIds: SUBSCRIPTIONS }, maxParallel: 3, dryRun: true };
    const dry = await api<DryRunView>('POST', '/migrations', request);
    expect(dry.status).toBe(200);
    const plan = dry.body.plan;

    const { page, problems, requested } = await watchedPage(browser);
    await page.goto(`${origin}/api/report?subscriptionIds=${SUBSCRIPTIONS.join(',')}&maxParallel=3&maxParallelPerPlan=2&code=${KEY}`);
    const figure = async (name: string) => Number(await page.locator(`[data-figure="${name}"]`).first().textContent());
    expect(await figure('migrate')).toBe(plan.summary.migrate);
    expect(await figure('skip')).toBe(plan.summary.skip);
    expect(await figure('blocked')).toBe(plan.summary.blocked);
    expect(await figure('apps')).toBe(plan.summary.migrate + plan.summary.skip + plan.summary.blocked);
    expect(await figure('groups')).toBe(plan.groups.length);
    const subnets = plan.groups.flatMap((g) => g.subnets);
    expect(await figure('subnetsToCreate')).toBe(subnets.filter((s) => s.action === 'create').length);
    expect(await figure('subnetsReused')).toBe(subnets.filter((s) => s.action === 'reuse').length);
    expect(await figure('downtimeSecondsPerApp')).toBe(appDowntimeSeconds(DEFAULT_STEP_SECONDS));
    const expected = buildReadinessReport({ plan, gateways: dry.body.discovered.gateways, appGatewayVnets: [], maxParallel: 3, maxParallelPerPlan: 2 });
    expect(await figure('makespanSeconds')).toBe(Math.round(expected.makespan.seconds));
    // Per reason code, the page's counts are the plan's.
    const reasons = new Map<string, number>();
    for (const app of [...plan.groups.flatMap((g) => g.apps), ...plan.skipped]) reasons.set(app.reason, (reasons.get(app.reason) ?? 0) + 1);
    for (const [reason, count] of reasons) expect(Number(await page.locator(`[data-reason-count="${reason}"]`).textContent()), reason).toBe(count);
    // Every subnet the plan creates is listed with its prefix.
    for (const subnet of subnets.filter((s) => s.action === 'create')) {
      await expect.poll(() => page.locator(`tr[data-subnet="${subnet.subnetId}"]`).textContent()).toContain(subnet.addressPrefix ?? '');
    }
    // Gateways: the page's figures are the report's JSON, whose gateways are the dry run's.
    const json = await api<{ report: { summary: { unusedGateways: number; monthlySavingUsd: number }; gateways: { gateways: { gatewayId: string }[] } } }>(
      'GET',
      `/report?subscriptionIds=${SUBSCRIPTIONS.join(',')}&maxParallel=3&format=json`,
    );
    expect(json.body.report.gateways.gateways.map((g) => g.gatewayId).sort()).toEqual(dry.body.discovered.gateways.map((g) => g.id).sort());
    expect(await figure('unusedGateways')).toBe(json.body.report.summary.unusedGateways);
    expect(await figure('monthlySavingUsd')).toBe(json.body.report.summary.monthlySavingUsd);
    expect(json.body.report.summary.unusedGateways).toBeGreaterThan(0);
    await screenshot(page, 'readiness-report.png');
    expect(problems).toEqual([]);
    expect(requested.filter((url) => url.includes('code=') && !url.includes('/api/report?'))).toEqual([]);

    const csv = await fetch(`${origin}/api/report?subscriptionIds=${SUBSCRIPTIONS.join(',')}&maxParallel=3&format=csv&table=apps`, { headers: AUTH });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('app_id,plan_id,outcome,reason,meaning,fix,strategy,estimated_downtime_seconds,message');
    expect(lines).toHaveLength(1 + plan.summary.migrate + plan.summary.skip + plan.summary.blocked);
    const posted = await fetch(`${origin}/api/report?format=csv&table=summary`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify(request) });
    expect(await posted.text()).toContain(`migrate,${plan.summary.migrate}\r\n`);
  }, 120_000);

  it('shows the live counts as apps move, pauses through the API when asked, and shows an app with its timeline', async () => {
    const started = await api<{ id: string }>('POST', '/migrations', { scope: { subscriptionIds: SUBSCRIPTIONS }, maxParallel: 1, verify: { healthPath: '/health', timeoutSeconds: 60 } });
    expect(started.status).toBe(202);
    const id = started.body.id;
    const { page, problems, requested } = await watchedPage(browser);
    await page.goto(`${origin}/api/dashboard?migration=${id}&code=${KEY}`);
    let updates = await nextUpdate(page, 0);
    const shown = async (outcome: string) => Number(await page.locator(`[data-count="${outcome}"]`).textContent());

    // The counts the page shows move as the apps do, without a reload (the page's own updates).
    const first = await shown('succeeded');
    while ((await shown('succeeded')) < first + 2) updates = await nextUpdate(page, updates);
    const summary = (await api<MigrationView>('GET', `/migrations/${id}`)).body.summary;
    expect(await shown('total')).toBe(summary.total);
    expect(await shown('succeeded')).toBeLessThanOrEqual(summary.succeeded);
    await expect.poll(() => page.locator('#migrations tr[aria-current="true"]').count()).toBe(1);

    // Pause: the page asks first; a dismissed question changes nothing, an accepted one pauses.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.locator('button[data-action="pause"]').click();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('button[data-action="pause"]').click();
    await expect.poll(() => statusOf(id), { timeout: 60_000, interval: 200 }).toBe('Paused');
    await page.waitForFunction(() => (globalThis as unknown as InPage).document.querySelector('[data-migration-status]')?.textContent === 'Paused', undefined, { timeout: 30_000 });
    expect(await page.locator('button[data-action="resume"]').isEnabled()).toBe(true);
    expect(await page.locator('button[data-action="pause"]').isDisabled()).toBe(true);
    await screenshot(page, 'dashboard.png');

    // Filter the apps table to the succeeded ones, keyboard only, then open one: its timeline and audit trail.
    await page.locator('select[name="status"]').focus();
    await page.locator('select[name="status"]').selectOption('succeeded');
    await page.waitForFunction(
      () => {
        const doc = (globalThis as unknown as InPage).document;
        return doc.querySelector('[data-apps-shown]')?.dataset['appsShown'] === doc.querySelector('[data-count="succeeded"]')?.textContent;
      },
      undefined,
      { timeout: 10_000 },
    );
    await page.locator('table.apps tbody a[data-nav]').first().click();
    await page.waitForFunction(
      () => {
        const doc = (globalThis as unknown as InPage).document;
        return doc.getElementById('app-view')?.hidden === false && doc.querySelectorAll('#app-view .timeline li').length >= 3;
      },
      undefined,
      { timeout: 30_000 },
    );
    const timeline = await page.locator('#app-view .timeline').textContent();
    expect(timeline).toMatch(/snapshot/i);
    expect(timeline).toMatch(/disconnect/i);
    expect(timeline).toMatch(/connect/i);
    await screenshot(page, 'dashboard-app.png');

    // Cancel through the page too, so nothing keeps running.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('button[data-action="cancel"]').click();
    await expect.poll(() => statusOf(id), { timeout: 120_000, interval: 200 }).toBe('Canceled');
    expect(problems).toEqual([]);
    // The key stays in the page's own address: API calls carry it as a header, never in their URL.
    const apiCalls = requested.filter((url) => url.includes('/api/') && !url.includes('/api/dashboard'));
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(apiCalls.filter((url) => url.includes('code='))).toEqual([]);
  }, 240_000);

  it('keeps working, read only, when scripts are off: the server renders the page whole and it refreshes itself', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${origin}/api/dashboard?code=${KEY}`);
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(1);
    const html = await page.content();
    expect(await page.locator('#migrations tbody tr').count(), html).toBeGreaterThan(0);
    expect(Number(await page.locator('[data-count="total"]').textContent()), html).toBeGreaterThan(0);
    await context.close();
  });
});
