import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AdminRouter } from './admin-routes.js';
import { registerAppAdminRoutes } from './app-admin-routes.js';
import { createAppEndpoints } from './app-endpoints.js';
import { ObservedOperationTracker } from './app-observed-operations.js';
import { ObservedResourceStore } from './app-observed-store.js';
import { AppWorldRecorder } from './app-world-recorder.js';
import type { AdminHandler } from './admin-routes.js';
import { createArmRouter } from './arm-routes.js';
import { ArmHttpError } from './arm-error.js';
import { AuditLog } from './audit-log.js';
import type { AuditFilter } from './audit-log.js';
import { ensureCertificates } from './certificates.js';
import { createSimClock } from './clock.js';
import type { FaultRule, LatencyModel, RequestPolicy, RunningSimulator, Scenario, SimClock, SimulatorOptions } from './contract.js';
import { FaultStore } from './fault-store.js';
import { ServiceAssociationLinkState } from './web/service-association-links.js';
import type { OperationTracker } from './operations.js';
import { defaultPipeline } from './default-policies.js';
import { SKIP_LINKED_AUTHORIZATION } from './linked-access.js';
import { createRequestHandler } from './request-pipeline.js';
import { parseArmPath } from './resource-path.js';
import type { RestartRecord, SimulatorContext, SimulatorSettings } from './router.js';
import type { ResourceStore } from './store.js';
import { worldViewFromStore } from './world-view.js';
import type { WorldView } from './world/view.js';
import { FAULT_KINDS } from './scenario/schema.js';
import { scenarioSubscriptions } from './scenario/subscriptions.js';

export type { RunningSimulator, SimulatorOptions } from './contract.js';
export type { AdminHandler, AdminRequest, AdminResponse } from './admin-routes.js';
export type { AppWorldRecorder } from './app-world-recorder.js';
export { FaultStore } from './fault-store.js';
export type { StoredFaultRule } from './fault-store.js';

/** Extra knobs for embedding (tests, the local start script) beyond the shared SimulatorOptions. */
export interface ExtendedSimulatorOptions extends SimulatorOptions {
  /**
   * Request policies in pipeline order, replacing the scenario's defaults (fault policy on `faults`, RBAC when
   * enabled, throttling unless off); replaceable later with setPolicies.
   */
  readonly policies?: readonly RequestPolicy[];
  readonly latency?: LatencyModel;
  /** List page size before a nextLink. Default 100. */
  readonly pageSize?: number;
  /** Overrides the scenario's longRunningOperationMs. */
  readonly longRunningOperationMs?: number;
  /** Overrides the scenario's subnetJoinLeaseMs (simulated ms a regional join holds the subnet's link lease; 0 = off). */
  readonly subnetJoinLeaseMs?: number;
  /** Overrides the scenario's serviceAssociationLinkLingerMs (simulated ms a link outlives the plan's last app; 0 = off). */
  readonly serviceAssociationLinkLingerMs?: number;
  /** The simulated clock (e.g. a ManualClock for tests that step time); default a clock at `clockFactor`. */
  readonly clock?: SimClock;
  readonly maxBodyBytes?: number;
  /** Accept only tokens this returns true for (default: any bearer token). */
  readonly acceptToken?: (token: string) => boolean;
}

/** The running simulator with the handles tests and sibling modules (policies, world model) use. */
export interface SimulatorHandle extends RunningSimulator {
  readonly port: number;
  readonly clock: SimClock;
  readonly store: ResourceStore;
  readonly faults: FaultStore;
  readonly audit: AuditLog;
  readonly operations: OperationTracker;
  readonly restarts: readonly RestartRecord[];
  readonly settings: SimulatorSettings;
  readonly scenario: Scenario;
  setPolicies(policies: readonly RequestPolicy[]): void;
  setLatency(latency: LatencyModel | undefined): void;
  registerAdminRoute(method: string, pathPattern: string, handler: AdminHandler): void;
  /** Applies resources through the same PUT logic clients use (no auth, no policies), rules enforced. */
  seed(resources: Scenario['resources']): void;
  /** Empties the world and re-seeds the starting scenario. */
  reset(): void;
  /** The verification world's input built from the current store (see tools/arm-simulator/src/world/). */
  worldView(): WorldView;
  /** The world kept current as resources change: per-app timelines, live health and Kudu answers, host lookup. */
  readonly appWorld: AppWorldRecorder;
}

const EMPTY_SCENARIO: Scenario = { name: 'empty', resources: [] };
const DEFAULT_API_VERSION: Readonly<Record<string, string>> = { 'microsoft.web': '2025-05-01', 'microsoft.network': '2025-05-01' };

/** 'empty', a Scenario object, or a name/path resolved by the scenario module (tools/arm-simulator/src/scenario/load.ts). */
export async function resolveScenario(scenario: string | Scenario | undefined): Promise<Scenario> {
  if (scenario === undefined || scenario === 'empty') return EMPTY_SCENARIO;
  if (typeof scenario !== 'string') return scenario;
  const loaderUrl = pathToFileURL(path.join(path.dirname(new URL(import.meta.url).pathname), 'scenario', 'load.js')).href;
  let loader: { loadScenario?: (nameOrPath: string) => Promise<Scenario> };
  try {
    loader = (await import(loaderUrl)) as typeof loader;
  } catch (error) {
    throw new Error(`Scenario '${scenario}' needs the scenario loader (tools/arm-simulator/src/scenario/load.ts), which could not be loaded: ${error instanceof Error ? error.message : String(error)}. Use 'empty' or pass a Scenario object.`);
  }
  if (typeof loader.loadScenario !== 'function') throw new Error(`The scenario loader does not export loadScenario(); cannot resolve '${scenario}'.`);
  return loader.loadScenario(scenario);
}

export async function startSimulator(options: ExtendedSimulatorOptions = {}): Promise<SimulatorHandle> {
  const scenario = await resolveScenario(options.scenario);
  const certificates = await ensureCertificates(options.dataDir ?? path.join('.data', 'simulator'));
  const clock = options.clock ?? createSimClock(options.clockFactor ?? scenario.clockFactor ?? 1);
  const store = new ObservedResourceStore();
  const operations = new ObservedOperationTracker(clock);
  const restarts: RestartRecord[] = [];
  const settings: SimulatorSettings = {
    longRunningOperationMs: options.longRunningOperationMs ?? scenario.longRunningOperationMs ?? 2000,
    restartDurationMs: scenario.restartDurationMs ?? 15_000,
    pageSize: options.pageSize ?? 100,
    subnetJoinLeaseMs: options.subnetJoinLeaseMs ?? scenario.subnetJoinLeaseMs ?? 0,
    serviceAssociationLinkLingerMs: options.serviceAssociationLinkLingerMs ?? scenario.serviceAssociationLinkLingerMs ?? 0,
  };
  let baseUrl = '';
  const links = new ServiceAssociationLinkState(store);
  const ctx: SimulatorContext = { store, operations, clock, settings, restarts, links, onPremises: scenario.onPremises ?? [], baseUrl: () => baseUrl };
  const world = new AppWorldRecorder(ctx, scenario);
  store.observe(world);
  operations.observe((completesAt, complete) => world.completion(completesAt, complete));
  const audit = new AuditLog();
  const faults = new FaultStore();
  for (const rule of scenario.faults ?? []) faults.add(rule);
  const defaults = defaultPipeline(scenario, clock, faults, {
    ...(options.rbac === undefined ? {} : { rbac: options.rbac }),
    ...(options.throttling === undefined ? {} : { throttling: options.throttling }),
  });
  let policies: readonly RequestPolicy[] = options.policies ?? defaults.policies;
  let latency: LatencyModel | undefined = options.latency ?? defaults.latency;
  const admin = new AdminRouter();
  const router = createArmRouter();

  // Seeding records each affected app once at the end, not after every resource.
  const seed = (resources: Scenario['resources']): void => world.batch(() => seedResources(resources));
  const seedResources = (resources: Scenario['resources']): void => {
    // Seeding builds a starting state: operations complete at once, joins take no lease, leaving apps leave no link.
    const saved = { ...settings };
    settings.longRunningOperationMs = 0;
    settings.subnetJoinLeaseMs = 0;
    settings.serviceAssociationLinkLingerMs = 0;
    try {
      for (const resource of resources) {
        const parsed = parseArmPath(resource.id);
        const apiVersion = resource.apiVersion ?? DEFAULT_API_VERSION[(parsed.provider ?? '').toLowerCase()] ?? '2025-05-01';
        const match = router.match('PUT', resource.id);
        if ('allowed' in match) throw new Error(`Scenario resource '${resource.id}' is not a resource the simulator can create.`);
        try {
          store.transaction(() => match.handler({ method: 'PUT', path: resource.id, params: match.params, query: new URLSearchParams(), apiVersion, body: resource.body, ctx, authorizeLinked: SKIP_LINKED_AUTHORIZATION }));
        } catch (error) {
          if (error instanceof ArmHttpError) throw new Error(`Scenario '${scenario.name}': PUT ${resource.id} was refused: ${error.code}: ${error.message}`);
          throw error;
        }
        operations.settleDue();
      }
    } finally {
      settings.longRunningOperationMs = saved.longRunningOperationMs;
      settings.subnetJoinLeaseMs = saved.subnetJoinLeaseMs;
      settings.serviceAssociationLinkLingerMs = saved.serviceAssociationLinkLingerMs;
    }
  };
  const reset = (): void => {
    store.clear();
    links.clear();
    world.clear();
    operations.clear();
    audit.clear();
    faults.clear();
    restarts.length = 0;
    defaults.reset();
    for (const rule of scenario.faults ?? []) faults.add(rule);
    seed(scenario.resources);
  };
  registerBuiltInAdminRoutes(admin, { store, operations, audit, faults, restarts, reset, clock, scenario });
  registerAppAdminRoutes(admin, world, clock);
  seed(scenario.resources);

  const handler = createRequestHandler({
    ctx, router, admin, audit,
    policies: () => policies,
    latency: () => latency,
    ...(options.acceptToken === undefined ? {} : { acceptToken: options.acceptToken }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
  });
  const appEndpoints = createAppEndpoints(world, clock);
  // Requests for {site}.azurewebsites.net / {site}.scm.azurewebsites.net are the apps themselves; the rest is ARM.
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    if (!appEndpoints(req, res)) handler(req, res);
  };
  const tls = { key: certificates.serverKeyPem, cert: certificates.serverCertPem };
  const host = options.host ?? 'localhost';
  const servers: Server[] = [];
  const primary = createServer(tls, serve);
  servers.push(primary);
  // 'localhost' resolves to 127.0.0.1 or ::1 depending on the client: answer on both.
  const port = await listen(primary, options.port ?? 7443, host === 'localhost' ? '127.0.0.1' : host);
  if (host === 'localhost') {
    const v6 = createServer(tls, serve);
    try {
      await listen(v6, port, '::1');
      servers.push(v6);
    } catch {
      // No IPv6 loopback on this machine: IPv4 alone serves 'localhost'.
    }
  }
  baseUrl = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: baseUrl,
    port,
    caFile: certificates.caFile,
    caPem: certificates.caPem,
    clock, store, faults, audit, operations, restarts, settings, scenario,
    setPolicies: (p) => { policies = p; },
    setLatency: (l) => { latency = l; },
    registerAdminRoute: (method, pathPattern, h) => admin.register(method, pathPattern, h),
    seed,
    reset,
    worldView: () => worldViewFromStore(ctx, scenario),
    appWorld: world,
    stop: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      })));
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

interface AdminDeps {
  readonly store: ResourceStore;
  readonly operations: OperationTracker;
  readonly audit: AuditLog;
  readonly faults: FaultStore;
  readonly restarts: readonly RestartRecord[];
  readonly reset: () => void;
  readonly clock: SimClock;
  readonly scenario: Scenario;
}

function registerBuiltInAdminRoutes(admin: AdminRouter, deps: AdminDeps): void {
  admin.register('GET', '/_simulator/audit', ({ query }) => {
    const num = (k: string): number | undefined => (query.has(k) ? Number(query.get(k)) : undefined);
    const filter: AuditFilter = {
      ...(query.has('method') ? { method: query.get('method') ?? '' } : {}),
      ...(query.has('path') ? { pathContains: query.get('path') ?? '' } : {}),
      ...(query.has('principal') ? { principalId: query.get('principal') ?? '' } : {}),
      ...(num('status') === undefined ? {} : { status: num('status') }),
      ...(num('since') === undefined ? {} : { since: num('since') }),
      ...(num('limit') === undefined ? {} : { limit: num('limit') }),
    };
    return { status: 200, body: { value: deps.audit.query(filter) } };
  });
  admin.register('GET', '/_simulator/faults', () => ({ status: 200, body: { value: deps.faults.list() } }));
  admin.register('POST', '/_simulator/faults', ({ body }) => {
    const rules = Array.isArray(body) ? body : [body];
    const added = rules.map((r) => deps.faults.add(validateFaultRule(r)));
    return { status: 201, body: { value: added } };
  });
  admin.register('DELETE', '/_simulator/faults', () => {
    deps.faults.clear();
    return { status: 204 };
  });
  admin.register('DELETE', '/_simulator/faults/{id}', ({ params }) => ({ status: deps.faults.remove(params['id'] ?? '') ? 204 : 404 }));
  admin.register('GET', '/_simulator/state', () => ({
    status: 200,
    body: {
      resources: deps.store.count(),
      byType: deps.store.countsByType(),
      operationsInProgress: deps.operations.inProgressCount(),
      auditEntries: deps.audit.size(),
      faults: deps.faults.list().length,
      restarts: deps.restarts.length,
      simulatedTime: new Date(deps.clock.now()).toISOString(),
      // What a newcomer scopes a migration with (the same ids `npm start` prints).
      subscriptions: scenarioSubscriptions(deps.scenario),
    },
  }));
  admin.register('GET', '/_simulator/restarts', () => ({ status: 200, body: { value: deps.restarts } }));
  admin.register('POST', '/_simulator/reset', () => {
    deps.reset();
    return { status: 200, body: { resources: deps.store.count() } };
  });
}

const FAULT_KIND_SET: ReadonlySet<string> = new Set(FAULT_KINDS);

function validateFaultRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null) throw new Error('A fault rule must be a JSON object.');
  const rule = input as Partial<FaultRule>;
  if (typeof rule.kind !== 'string' || !FAULT_KIND_SET.has(rule.kind)) {
    throw new Error(`Fault rule kind must be one of ${[...FAULT_KINDS].join(', ')}.`);
  }
  if (rule.pathPattern !== undefined) new RegExp(rule.pathPattern, 'i');
  if (rule.probability !== undefined && (rule.probability < 0 || rule.probability > 1)) throw new Error('probability must be within [0, 1].');
  return rule as FaultRule;
}
