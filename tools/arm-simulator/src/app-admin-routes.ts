import type { AdminRouter } from './admin-routes.js';
import type { AppWorldRecorder } from './app-world-recorder.js';
import type { SimClock } from './contract.js';

/**
 * Unauthenticated conveniences over the same world the app endpoints answer from: an app's health, a Kudu command,
 * its timeline with exact downtime, and a per-app summary. `{site}` is the host name's first label: `shop-api-we`, or
 * `shop-web-we-staging` for a slot.
 */
export function registerAppAdminRoutes(admin: AdminRouter, recorder: AppWorldRecorder, clock: SimClock): void {
  const appOf = (site: string): string => {
    const address = recorder.appByHost(`${site}.azurewebsites.net`);
    if (address === undefined) throw new AppNotFound(site);
    return address.appId;
  };
  const guarded = <T>(fn: () => T): T | { status: 404; body: unknown } => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof AppNotFound) return { status: 404, body: { error: { code: 'SiteNotFound', message: error.message } } };
      throw error;
    }
  };

  admin.register('GET', '/_simulator/apps/{site}/health', ({ params }) =>
    guarded(() => {
      const answer = recorder.health(appOf(params['site'] ?? ''), clock.now());
      return { status: answer.status, body: answer.body };
    }));

  admin.register('POST', '/_simulator/apps/{site}/command', ({ params, body }) =>
    guarded(() => {
      const appId = appOf(params['site'] ?? '');
      const command = typeof body === 'object' && body !== null ? (body as { command?: unknown }).command : undefined;
      if (typeof command !== 'string') throw new Error('The body must be JSON {"command": "tcpping host:port" | "nameresolver host"}.');
      return { status: 200, body: recorder.command(appId, command, clock.now()) };
    }));

  admin.register('GET', '/_simulator/apps/{site}/timeline', ({ params, query }) =>
    guarded(() => {
      const appId = appOf(params['site'] ?? '');
      const now = clock.now();
      const from = query.has('from') ? timeParam(query.get('from') ?? '', 'from') : 0;
      const to = query.has('to') ? timeParam(query.get('to') ?? '', 'to') : now;
      if (to < from) throw new Error(`'to' (${to}) is before 'from' (${from}).`);
      return {
        status: 200,
        body: { app: appId, from, to, now, transitions: recorder.timeline.query(appId), downtimeMs: recorder.timeline.downtime(appId, { from, to }) },
      };
    }));

  admin.register('GET', '/_simulator/timelines', () => {
    const now = clock.now();
    const value = recorder.apps().map(({ appId, hostName }) => {
      const transitions = recorder.timeline.query(appId);
      return {
        app: appId,
        hostName,
        transitions: transitions.length,
        reachableNow: transitions[transitions.length - 1]?.allReachable ?? true,
        downtimeMs: recorder.timeline.downtime(appId, { from: 0, to: now }),
      };
    });
    return { status: 200, body: { now, value } };
  });
}

/** Simulated epoch milliseconds or an ISO 8601 date. */
function timeParam(raw: string, name: string): number {
  const value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(value)) throw new Error(`'${name}' must be simulated epoch milliseconds or an ISO 8601 date; got '${raw}'.`);
  return value;
}

class AppNotFound extends Error {
  constructor(site: string) {
    super(`No app answers for '${site}.azurewebsites.net'. Use the site name (or {site}-{slot} for a slot).`);
  }
}
