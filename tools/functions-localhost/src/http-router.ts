import type { HostedFunction } from './app-loader.js';
import { compareRoutePrecedence, compileRoute, type CompiledRoute } from './route-template.js';

/** Finds the HTTP function for a path and method; tells 404 (no route) from 405 (route, wrong method). */
export type RouteLookup =
  | { readonly kind: 'found'; readonly fn: HostedFunction; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

interface RouteEntry {
  readonly fn: HostedFunction;
  readonly route: CompiledRoute;
  /** Upper-case methods; undefined means any method. */
  readonly methods: ReadonlySet<string> | undefined;
}

export class HttpRouter {
  readonly #entries: RouteEntry[];

  constructor(functions: readonly HostedFunction[], routePrefix: string) {
    const prefix = routePrefix.replace(/^\/+|\/+$/g, '');
    this.#entries = functions
      .map((fn) => {
        const route = typeof fn.trigger['route'] === 'string' && fn.trigger['route'].trim() ? fn.trigger['route'].trim() : fn.name;
        const template = [prefix, route.replace(/^\/+/, '')].filter((part) => part !== '').join('/');
        const declared = fn.trigger['methods'];
        const methods = Array.isArray(declared) && declared.length > 0 ? new Set(declared.map((m) => String(m).toUpperCase())) : undefined;
        return { fn, route: compileRoute(template), methods };
      })
      .sort((a, b) => compareRoutePrecedence(a.route, b.route));
  }

  /** Public URL paths of the functions, for the startup listing. */
  describe(): { name: string; template: string; methods: string[] }[] {
    return this.#entries.map((e) => ({ name: e.fn.name, template: `/${e.route.template}`, methods: e.methods ? [...e.methods] : ['*'] }));
  }

  find(path: string, method: string): RouteLookup {
    const allowed = new Set<string>();
    for (const entry of this.#entries) {
      const params = entry.route.match(path);
      if (!params) continue;
      if (!entry.methods || entry.methods.has(method)) return { kind: 'found', fn: entry.fn, params };
      for (const m of entry.methods) allowed.add(m);
    }
    return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed].sort() } : { kind: 'not-found' };
  }
}
