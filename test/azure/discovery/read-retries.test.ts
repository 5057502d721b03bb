/**
 * Discovery's own retries and limits (src/azure/discovery/arm-reader.ts), over the real SDKs against the simulator:
 * a read that still fails with a retryable answer after the SDK's own retries is tried again, so discovery of a
 * fleet survives a fault storm; a permanent answer is not tried again; requests in flight are bounded per
 * subscription and in all. Each test builds the world it needs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ArmClients } from '../../../src/azure/arm-clients.js';
import { createArmClients } from '../../../src/azure/arm-clients.js';
import { ArmOperationFailedError } from '../../../src/azure/arm-errors.js';
import { discoverFleet } from '../../../src/azure/discovery/discover-fleet.js';
import { DiscoveryAbortedError } from '../../../src/azure/discovery/discovery-errors.js';
import { READ_ATTEMPTS, retryDelayInMs } from '../../../src/azure/discovery/arm-reader.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { createLatencyModel } from '@vnet-migrator/arm-simulator/policy/latency.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { startTestSimulator, staticCredential } from '@vnet-migrator/arm-simulator/testing.js';

const SUBSCRIPTIONS = Object.values(DEMO_SUBSCRIPTIONS);
/** The SDK's own retries made quick, as the engine's activities do; discovery's retries come on top of them. */
const QUICK_SDK_RETRIES = { maxRetries: 1, retryDelayInMs: 1, maxRetryDelayInMs: 5 };
/** Discovery's own retries made quick too (10, 20, 40 ms): these tests count tries, the waits are tested on their own. */
const QUICK_RETRIES = { firstRetryDelayInMs: 10 };

function clientsOf(sim: SimulatorHandle): (subscriptionId: string) => ArmClients {
  const cache = new Map<string, ArmClients>();
  return (subscriptionId) => {
    let clients = cache.get(subscriptionId.toLowerCase());
    if (clients === undefined) {
      clients = createArmClients(staticCredential('reader'), subscriptionId, { endpoint: sim.url, caPem: sim.caPem, retryOptions: QUICK_SDK_RETRIES });
      cache.set(subscriptionId.toLowerCase(), clients);
    }
    return clients;
  };
}

type AuditEntry = ReturnType<SimulatorHandle['audit']['query']>[number];

/** The subscription's site-list requests (first pages, their retries and the next pages), in the order answered. */
function siteListRequests(sim: SimulatorHandle): AuditEntry[] {
  return sim.audit
    .query({ method: 'GET', pathContains: '/providers/Microsoft.Web/sites' })
    .filter((e) => e.path.toLowerCase().endsWith('/microsoft.web/sites'))
    .sort((a, b) => a.time - b.time);
}

/** From one request's answer to the next one's start (audit times are answer times; a request spans its durationMs). */
function gapInMs(earlier: AuditEntry | undefined, later: AuditEntry | undefined): number {
  return (later?.time ?? 0) - (later?.durationMs ?? 0) - (earlier?.time ?? 0);
}

describe("discovery's retries and request limits", () => {
  let sim: SimulatorHandle | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('waits 0.5 s before the first retry, doubling, capped at 30 s; a longer Retry-After wins, capped too', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayInMs(n, undefined))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelayInMs(10, undefined)).toBe(30_000);
    expect(retryDelayInMs(1, 7000)).toBe(7000);
    expect(retryDelayInMs(3, 100)).toBe(2000);
    expect(retryDelayInMs(1, 120_000)).toBe(30_000);
    expect([1, 2, 3].map((n) => retryDelayInMs(n, undefined, 10))).toEqual([10, 20, 40]);
  });

  it('waits its retries out: the second try starts at least the first wait after the first failed, the third twice that', async () => {
    sim = await startTestSimulator({ scenario: 'demo', throttling: false, clockFactor: 1 });
    const [first] = SUBSCRIPTIONS;
    sim.faults.add({ kind: 'http500', method: 'GET', pathPattern: '/providers/Microsoft\\.Web/sites$', count: 4 });
    await discoverFleet({ subscriptionIds: [first ?? ''] }, { clientsFor: clientsOf(sim), firstRetryDelayInMs: 200 });
    // Each try is the SDK's request and its own quick retry; audit times are answer times on a real-speed clock.
    // The list's first page: four failed answers, then the one that starts the pages.
    const tries = siteListRequests(sim).slice(0, 5);
    expect(tries.map((e) => e.status)).toEqual([500, 500, 500, 500, 200]);
    expect(gapInMs(tries[1], tries[2])).toBeGreaterThanOrEqual(200 - 1);
    expect(gapInMs(tries[3], tries[4])).toBeGreaterThanOrEqual(400 - 1);
  });

  it("waits ARM's Retry-After when it is longer than its own backoff", async () => {
    sim = await startTestSimulator({ scenario: 'demo', throttling: false, clockFactor: 1 });
    const [first] = SUBSCRIPTIONS;
    // The SDK's request and its one retry are both throttled, so the 429 and its Retry-After reach discovery.
    sim.faults.add({ kind: 'http429', retryAfterSeconds: 1, method: 'GET', pathPattern: '/providers/Microsoft\\.Web/sites$', count: 2 });
    await discoverFleet({ subscriptionIds: [first ?? ''] }, { clientsFor: clientsOf(sim), firstRetryDelayInMs: 10 });
    const tries = siteListRequests(sim).slice(0, 3);
    expect(tries.map((e) => e.status)).toEqual([429, 429, 200]);
    expect(gapInMs(tries[1], tries[2])).toBeGreaterThanOrEqual(1000 - 1);
  });

  it('a cancel during a retry\'s wait ends discovery at once, and the wait is the one asked for', async () => {
    sim = await startTestSimulator({ scenario: 'demo', throttling: false, clockFactor: 1 });
    const [first] = SUBSCRIPTIONS;
    sim.faults.add({ kind: 'http500', method: 'GET', pathPattern: '/providers/Microsoft\\.Web/sites$' });
    const siteLists = (): number => (sim?.audit.query({ method: 'GET', pathContains: '/providers/Microsoft.Web/sites' }) ?? []).length;
    const controller = new AbortController();
    const running = discoverFleet({ subscriptionIds: [first ?? ''] }, { clientsFor: clientsOf(sim), firstRetryDelayInMs: 20_000, abortSignal: controller.signal }).catch((error: unknown) => error);
    await vi.waitFor(() => expect(siteLists()).toBe(2), { timeout: 10_000, interval: 20 });
    // The first wait is 20 s, not the default 0.5 s: no second try comes within 1.5 s.
    await sleep(1500);
    expect(siteLists()).toBe(2);
    const cancelled = performance.now();
    controller.abort();
    const error = await running;
    expect(error).toBeInstanceOf(DiscoveryAbortedError);
    expect(performance.now() - cancelled).toBeLessThan(5000);
  });

  it('a cancel ends the reads in flight: discovery answers long before a 5 s list or read would have', async () => {
    for (const operation of ['GET Microsoft.Web/sites', 'GET Microsoft.Web/sites/virtualNetworkConnections']) {
      sim = await startTestSimulator({ scenario: 'demo', throttling: false, clockFactor: 1, latency: createLatencyModel({ perOperation: { [operation]: 5000 } }) });
      const controller = new AbortController();
      const running = discoverFleet({ subscriptionIds: SUBSCRIPTIONS }, { clientsFor: clientsOf(sim), abortSignal: controller.signal }).catch((error: unknown) => error);
      // The site lists answer at once when only the connections are slow: by 2 s those reads are in flight.
      await sleep(operation.endsWith('/sites') ? 300 : 2000);
      const cancelled = performance.now();
      controller.abort();
      const error = await running;
      expect(error, operation).toBeInstanceOf(DiscoveryAbortedError);
      expect(performance.now() - cancelled, operation).toBeLessThan(2500);
      await sim.stop();
      sim = undefined;
    }
  }, 60_000);

  it('tries a read again when it still fails with 500 after the SDK retried, and the fleet is discovered whole', async () => {
    sim = await startTestSimulator({ scenario: 'demo', throttling: false });
    const clean = await discoverFleet({ subscriptionIds: SUBSCRIPTIONS }, { clientsFor: clientsOf(sim) });
    expect(clean.stats.retries).toBe(0);
    sim.reset();
    // Every site list fails twice in a row: the SDK's one retry fails as well, so the reader must try again.
    sim.faults.add({ kind: 'http500', method: 'GET', pathPattern: '/providers/Microsoft\\.Web/sites$', count: 2 * SUBSCRIPTIONS.length });
    const again = await discoverFleet({ subscriptionIds: SUBSCRIPTIONS }, { clientsFor: clientsOf(sim), ...QUICK_RETRIES });
    expect(again.stats.retries).toBeGreaterThanOrEqual(1);
    expect(again.inventory).toEqual(clean.inventory);
    expect(again.apps).toEqual(clean.apps);
  });

  it(`gives up after ${READ_ATTEMPTS} tries, and a permanent refusal is not tried again`, async () => {
    sim = await startTestSimulator({ scenario: 'demo', throttling: false });
    const [first] = SUBSCRIPTIONS;
    sim.faults.add({ kind: 'http500', method: 'GET', pathPattern: '/providers/Microsoft\\.Web/sites$' });
    const failed = await discoverFleet({ subscriptionIds: [first ?? ''] }, { clientsFor: clientsOf(sim), ...QUICK_RETRIES }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ArmOperationFailedError);
    expect((failed as ArmOperationFailedError).retryable).toBe(true);
    // Each try is the SDK's request and its one retry.
    expect(siteListRequests(sim)).toHaveLength(READ_ATTEMPTS * 2);

    sim.reset();
    sim.faults.clear();
    sim.faults.add({ kind: 'permanent', method: 'GET', pathPattern: '/providers/Microsoft\\.Web/sites$', message: 'The subscription is disabled.' });
    const refused = await discoverFleet({ subscriptionIds: [first ?? ''] }, { clientsFor: clientsOf(sim) }).catch((error: unknown) => error);
    expect((refused as Error).message).toContain('The subscription is disabled.');
    expect(siteListRequests(sim)).toHaveLength(1);
  });

  it('keeps at most `concurrency` requests in flight per subscription and `totalConcurrency` in all', async () => {
    sim = await startTestSimulator({ scenario: 'demo', throttling: false, clockFactor: 1, latency: createLatencyModel({ default: 40 }) });
    // Audit times are answer times on a clock running at real speed: a request spans [time - durationMs, time].
    await discoverFleet({ subscriptionIds: SUBSCRIPTIONS }, { clientsFor: clientsOf(sim), concurrency: 2, totalConcurrency: 5 });
    const requests = sim.audit.query({ pathContains: '/subscriptions/' }).map((e) => ({ from: e.time - e.durationMs, to: e.time, subscription: e.path.split('/')[2]?.toLowerCase() ?? '' }));
    const most = (within: typeof requests): number => {
      let peak = 0;
      for (const r of within) peak = Math.max(peak, within.filter((o) => o.from <= r.from && r.from < o.to).length);
      return peak;
    };
    expect(most(requests)).toBeLessThanOrEqual(5);
    expect(most(requests)).toBeGreaterThan(2);
    for (const subscription of new Set(requests.map((r) => r.subscription))) expect(most(requests.filter((r) => r.subscription === subscription))).toBeLessThanOrEqual(2);
  });
});
