/** A request to the unauthenticated /_simulator/ admin API. */
export interface AdminRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface AdminResponse {
  readonly status: number;
  readonly body?: unknown;
}

export type AdminHandler = (request: AdminRequest) => AdminResponse | Promise<AdminResponse>;

interface AdminRoute {
  readonly method: string;
  readonly parts: readonly string[];
  readonly handler: AdminHandler;
}

/**
 * Admin routes other modules add (world timelines, health, kudu commands) next to the built-in ones. Patterns are
 * paths like '/_simulator/faults/{id}'; `{name}` segments become params.
 */
export class AdminRouter {
  private readonly routes: AdminRoute[] = [];

  register(method: string, pathPattern: string, handler: AdminHandler): void {
    if (!pathPattern.startsWith('/_simulator/')) {
      throw new RangeError(`Admin routes live under /_simulator/; got '${pathPattern}'.`);
    }
    this.routes.push({ method: method.toUpperCase(), parts: pathPattern.replace(/\/+$/, '').split('/').slice(1), handler });
  }

  match(method: string, path: string): { handler: AdminHandler; params: Record<string, string> } | { allowed: string[] } {
    const parts = path.replace(/\/+$/, '').split('/').slice(1);
    const allowed: string[] = [];
    for (const route of this.routes) {
      if (route.parts.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const ok = route.parts.every((t, i) => {
        const p = parts[i] ?? '';
        if (t.startsWith('{') && t.endsWith('}')) {
          params[t.slice(1, -1)] = decodeURIComponent(p);
          return true;
        }
        return t.toLowerCase() === p.toLowerCase();
      });
      if (!ok) continue;
      if (route.method === method) return { handler: route.handler, params };
      allowed.push(route.method);
    }
    return { allowed };
  }
}
