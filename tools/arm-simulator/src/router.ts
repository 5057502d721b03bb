import type { ResourceStore } from './store.js';
import type { OperationTracker } from './operations.js';
import type { ScenarioOnPremisesNetwork, SimClock } from './contract.js';
import type { AuthorizeLinked } from './linked-access.js';
import type { ServiceAssociationLinkState } from './web/service-association-links.js';

export type HttpMethod = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE' | 'HEAD';

/** What a handler gets: the matched path parameters, the parsed body and the world it works on. */
export interface ArmCall {
  readonly method: HttpMethod;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly apiVersion: string | undefined;
  readonly body: unknown;
  readonly ctx: SimulatorContext;
  /**
   * Linked authorization for what the body references (see linked-access.ts). Handlers call it before any rule or
   * write, so a refusal answers like ARM (ahead of the provider) and leaves nothing changed.
   */
  readonly authorizeLinked: AuthorizeLinked;
}

export interface ArmResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A gateway-disconnect or POST restart, kept so the world model can turn it into downtime. */
export interface RestartRecord {
  readonly siteId: string;
  readonly at: number;
  readonly durationMs: number;
  readonly reason: 'restart' | 'gateway-disconnect';
}

export interface SimulatorSettings {
  longRunningOperationMs: number;
  restartDurationMs: number;
  /** Items per page in list responses before a nextLink. */
  pageSize: number;
  /**
   * Simulated ms a regional join holds the subnet's ServiceAssociationLinkLease; another app joining the same
   * subnet meanwhile gets 409 (ExtendedCode 70006). 0: no lease (default).
   */
  subnetJoinLeaseMs: number;
  /** Simulated ms a subnet's service association link lingers after the last app of a plan leaves. 0: none (default). */
  serviceAssociationLinkLingerMs: number;
}

export interface SimulatorContext {
  readonly store: ResourceStore;
  readonly operations: OperationTracker;
  readonly clock: SimClock;
  readonly settings: SimulatorSettings;
  readonly restarts: RestartRecord[];
  /** Join leases and lingering service association links (web/service-association-links.ts). */
  readonly links: ServiceAssociationLinkState;
  /**
   * Site-to-site networks behind the scenario's gateways. A gateway-based connection inherits their routes from its
   * VNet's gateway, and ARM shows them (routeType INHERITED) on the connection.
   */
  readonly onPremises?: readonly ScenarioOnPremisesNetwork[];
  /** https://host:port of this simulator, for Location / Azure-AsyncOperation / nextLink URLs. */
  readonly baseUrl: () => string;
}

export type ArmHandler = (call: ArmCall) => ArmResult;

interface CompiledRoute {
  readonly method: HttpMethod;
  readonly parts: readonly string[];
  readonly handler: ArmHandler;
}

/** Case-insensitive path templates ('/subscriptions/{sub}/.../sites/{site}') to handlers. */
export class ArmRouter {
  private readonly routes: CompiledRoute[] = [];

  add(method: HttpMethod, template: string, handler: ArmHandler): void {
    this.routes.push({ method, parts: template.split('/').slice(1), handler });
  }

  /** Registers a site-scoped route for both sites/{site} and sites/{site}/slots/{slot}. */
  addSiteScoped(method: HttpMethod, suffix: string, handler: ArmHandler): void {
    const site = '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{site}';
    this.add(method, `${site}${suffix}`, handler);
    this.add(method, `${site}/slots/{slot}${suffix}`, handler);
  }

  /** The handler for a path, or which methods the path allows when none matches the method. */
  match(method: string, path: string): { handler: ArmHandler; params: Record<string, string> } | { allowed: HttpMethod[] } {
    const parts = path.replace(/\/+$/, '').split('/').slice(1);
    const allowed: HttpMethod[] = [];
    for (const route of this.routes) {
      const params = matchParts(route.parts, parts);
      if (params === undefined) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { handler: route.handler, params };
      allowed.push(route.method);
    }
    return { allowed };
  }
}

function matchParts(template: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (template.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i] as string;
    const p = parts[i] as string;
    if (t.startsWith('{') && t.endsWith('}')) {
      try {
        params[t.slice(1, -1)] = decodeURIComponent(p);
      } catch {
        return undefined;
      }
    } else if (t.toLowerCase() !== p.toLowerCase()) return undefined;
  }
  return params;
}
