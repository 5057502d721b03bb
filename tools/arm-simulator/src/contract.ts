/**
 * The seams inside the ARM simulator: the request pipeline's policies (throttling, RBAC, faults, latency), the
 * simulated clock, the scenario a world is seeded from, and the embedding API tests and `npm start` use.
 * The server core and the policies are written against this file, not against each other's internals.
 */

/** What a policy knows about an incoming ARM request, after authentication and before any handler runs. */
export interface ArmRequestInfo {
  readonly method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE' | 'HEAD';
  /** Path as sent, without the query string. */
  readonly path: string;
  readonly apiVersion: string | undefined;
  /** Caller identity from the bearer token (oid, else appid, else sub); 'anonymous' for an opaque token. */
  readonly principalId: string;
  readonly subscriptionId: string | undefined;
  /** 'Microsoft.Web', 'Microsoft.Network', ... as written in the path; undefined for subscription-level paths. */
  readonly provider: string | undefined;
  /** The resource id the request addresses (path up to the last resource segment), original casing. */
  readonly resourceId: string;
  /**
   * The RBAC action this request needs, e.g. 'Microsoft.Web/sites/read', 'Microsoft.Web/sites/write',
   * 'Microsoft.Web/sites/config/list/action', 'Microsoft.Network/virtualNetworks/subnets/join/action'.
   */
  readonly action: string;
  /** Counted against the write bucket (PUT, PATCH, POST actions) or delete bucket (DELETE); else read. */
  readonly operationKind: 'read' | 'write' | 'delete';
}

/** What a policy decides. 'pass' may add response headers (x-ms-ratelimit-remaining-*). */
export type PolicyVerdict =
  | { readonly kind: 'pass'; readonly headers?: Readonly<Record<string, string>> }
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** JSON body, already in the envelope the provider uses. */
      readonly body?: unknown;
      /** A body that is not JSON (an HTML error page), sent as is with this Content-Type instead of `body`. */
      readonly text?: { readonly contentType: string; readonly content: string };
    }
  /** Destroy the socket without answering (connection reset). */
  | { readonly kind: 'reset' }
  /** Never answer; the socket stays open until the client gives up or the server stops. */
  | { readonly kind: 'hang' }
  /**
   * Let the request through to its handler (handled and applied as usual: the write happens, an LRO starts), then
   * answer `outcome` instead of what the handler answered: an ambiguous outcome, like ARM's gateway timing out on a
   * provider that did the work. A later policy that refuses the request (RBAC, throttling) still answers instead.
   */
  | { readonly kind: 'after-handler'; readonly outcome: AfterHandlerOutcome };

/** What the client gets in place of the handler's answer. */
export type AfterHandlerOutcome =
  | { readonly kind: 'respond'; readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: unknown }
  | { readonly kind: 'reset' };

export interface RequestPolicy {
  /** Called in pipeline order: faults, RBAC, throttling. The first non-'pass' verdict answers the request. */
  evaluate(request: ArmRequestInfo): PolicyVerdict;
}

/** Simulated time: `factor` simulated milliseconds pass per real millisecond. */
export interface SimClock {
  readonly factor: number;
  /** Simulated epoch milliseconds. */
  now(): number;
  /** Waits `simulatedMs` of simulated time (simulatedMs / factor real ms). */
  sleep(simulatedMs: number): Promise<void>;
}

/** Per-operation latency, in simulated milliseconds, applied before a handler answers. */
export interface LatencyModel {
  delayFor(request: ArmRequestInfo): number;
}

// ---- Scenarios ----

/** A resource to create through the same PUT logic ARM clients use. */
export interface ScenarioResource {
  /** Full ARM resource id, e.g. /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name}. */
  readonly id: string;
  readonly apiVersion?: string;
  /** The PUT body. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** Something an app must reach; `target` is 'ip', 'ip:port', 'host' or 'host:port'. */
export interface ScenarioDependency {
  readonly appId: string;
  readonly target: string;
  readonly description?: string;
}

/** An on-premises network reached through a VNet's VPN gateway (site-to-site). */
export interface ScenarioOnPremisesNetwork {
  readonly name: string;
  readonly gatewayId: string;
  readonly addressPrefixes: readonly string[];
}

export type FaultKind =
  | 'http500'
  | 'http503'
  | 'http503-retry-after'
  | 'http500-retry-after'
  | 'http429'
  | 'reset'
  | 'hang'
  | 'another-operation'
  | 'permanent'
  /** A 502 whose body is an HTML error page, as a gateway or proxy in front of ARM answers: no JSON envelope at all. */
  | 'gateway-html'
  /** Ambiguous outcomes: the request is handled and applied, then the client gets 504 GatewayTimeout / a reset. */
  | 'applied-then-504'
  | 'applied-then-reset';

export interface FaultRule {
  readonly id?: string;
  readonly kind: FaultKind;
  /** HTTP method to match; any when absent. */
  readonly method?: string;
  /** Case-insensitive regular expression matched against the request path. */
  readonly pathPattern?: string;
  /** How many matching requests to fail before the rule retires; unlimited when absent. */
  readonly count?: number;
  /** Probability in [0, 1] that a matching request fails; 1 when absent. */
  readonly probability?: number;
  /** Seconds, for the *-retry-after kinds and http429. */
  readonly retryAfterSeconds?: number;
  /** Message for 'permanent' faults (surfaced to the caller as the service's own error text). */
  readonly message?: string;
}

export interface RoleDefinition {
  readonly name: string;
  readonly actions: readonly string[];
  readonly notActions?: readonly string[];
}

export interface RoleAssignment {
  readonly principalId: string;
  readonly roleName: string;
  /** '/', '/subscriptions/{s}', '/subscriptions/{s}/resourceGroups/{rg}', or a resource id. */
  readonly scope: string;
}

export interface RbacConfig {
  readonly enabled: boolean;
  readonly roles: readonly RoleDefinition[];
  readonly assignments: readonly RoleAssignment[];
}

export interface LatencySpec {
  /** Fixed simulated milliseconds, or a uniform / normal distribution. */
  readonly default?: number | { readonly min: number; readonly max: number } | { readonly mean: number; readonly stddev: number };
  /** Per 'METHOD provider/type' key, e.g. 'PUT Microsoft.Network/virtualNetworks/subnets'. */
  readonly perOperation?: Readonly<Record<string, number | { readonly min: number; readonly max: number } | { readonly mean: number; readonly stddev: number }>>;
}

export interface Scenario {
  readonly name: string;
  readonly description?: string;
  /** Simulated ms per real ms (e.g. 60 replays a minute of Azure time in a second). Default 1. */
  readonly clockFactor?: number;
  readonly latency?: LatencySpec;
  readonly resources: readonly ScenarioResource[];
  readonly dependencies?: readonly ScenarioDependency[];
  /** Host name to IPv4 address, for `nameresolver` and host dependencies. */
  readonly dns?: Readonly<Record<string, string>>;
  readonly onPremises?: readonly ScenarioOnPremisesNetwork[];
  readonly faults?: readonly FaultRule[];
  readonly rbac?: RbacConfig;
  /** Simulated ms an app is down while it restarts (after a gateway disconnect or POST restart). Default 15000. */
  readonly restartDurationMs?: number;
  /** Simulated ms a long-running operation stays InProgress before it completes. Default 2000. */
  readonly longRunningOperationMs?: number;
  /**
   * Simulated ms a regional join holds its subnet's ServiceAssociationLinkLease: another app joining the same subnet
   * inside it gets 409 (ExtendedCode 70006). Default 0 (no lease).
   */
  readonly subnetJoinLeaseMs?: number;
  /**
   * Simulated ms a subnet's service association link lingers after the last app of a plan leaves (subnet delete
   * refused meanwhile, purgeUnusedVirtualNetworkIntegration clears it). Default 0 (gone with the last app).
   */
  readonly serviceAssociationLinkLingerMs?: number;
  /** Throttling on (ARM's published limits scaled by clockFactor) unless false. */
  readonly throttling?: boolean;
}

// ---- Embedding ----

export interface SimulatorOptions {
  /** 0 picks a free port. Default 7443. */
  readonly port?: number;
  readonly host?: string;
  /** 'demo', 'empty', a path to a scenario JSON file, or a Scenario object. Default 'empty'. */
  readonly scenario?: string | Scenario;
  /** Where the generated CA and server certificate are kept. Default .data/simulator. */
  readonly dataDir?: string;
  /** Overrides the scenario's clock factor. */
  readonly clockFactor?: number;
  /** Overrides whether RBAC is enforced. */
  readonly rbac?: boolean;
  /** Overrides whether throttling is enforced. */
  readonly throttling?: boolean;
}

export interface RunningSimulator {
  /** https://host:port, no trailing slash. */
  readonly url: string;
  /** Path of the CA certificate (PEM) that signed the server certificate. */
  readonly caFile: string;
  readonly caPem: string;
  stop(): Promise<void>;
}
