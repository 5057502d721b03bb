import type { RoutingSwitches } from '../../domain/migration-model.js';
import type { RoutingPlan } from '../../domain/routing.js';
import { AppTarget, type SiteRead } from './app-target.js';
import { armRead, writeConfirmed } from './confirmed-write.js';
import type { ChangeRecord, OperationOptions } from './operation-options.js';
import { desiredFromPlan, differingKeys, routingOf, showsApplicationTraffic, writeRouting } from './site-routing.js';

/** The site, and its switches; config/web is read only when the site shows no application-routing switch. */
async function readRouting(target: AppTarget, operation: string): Promise<{ read: SiteRead; routing: RoutingSwitches }> {
  const read = await armRead(operation, () => target.readSite());
  const config = showsApplicationTraffic(read) ? undefined : await armRead(operation, () => target.getConfiguration());
  return { read, routing: routingOf(read, config?.vnetRouteAllEnabled) };
}

async function setRouting(appId: string, desired: Partial<RoutingSwitches>, action: string, opts: OperationOptions): Promise<ChangeRecord> {
  const target = new AppTarget(appId, opts);
  const operation = `${action} of ${target.name}`;
  const { read, routing: before } = await readRouting(target, operation);
  if (differingKeys(before, desired).length === 0) return { action, applied: false, before, after: before };
  await writeConfirmed(
    operation,
    () => writeRouting(target, read, before, desired, operation, opts.abortSignal),
    async () => differingKeys((await readRouting(target, operation)).routing, desired).length === 0,
    opts,
  );
  return { action, applied: true, before, after: { ...before, ...desired } };
}

/** Sets the planned routing switches (either shape of RoutingPlan['siteProperties']), writing only what differs. */
export function applyRouting(appId: string, siteProperties: RoutingPlan['siteProperties'], opts: OperationOptions): Promise<ChangeRecord> {
  return setRouting(appId, desiredFromPlan(siteProperties), 'apply routing', opts);
}

/** Puts all five switches back as the snapshot had them. */
export function restoreRouting(appId: string, routing: RoutingSwitches, opts: OperationOptions): Promise<ChangeRecord> {
  return setRouting(appId, routing, 'restore routing', opts);
}
