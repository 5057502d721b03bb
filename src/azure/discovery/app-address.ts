import type { Site } from '@azure/arm-appservice';
import { parseResourceId } from '../../domain/resource-id.js';

/** Where an app lives, as the SDK's site and slot operations address it (slot operations take the slot apart). */
export interface AppAddress {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly site: string;
  readonly slot: string | undefined;
}

export function addressOf(appId: string): AppAddress {
  const parsed = parseResourceId(appId);
  if (parsed.kind === 'site') return { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup, site: parsed.name, slot: undefined };
  if (parsed.kind === 'slot') return { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup, site: parsed.site, slot: parsed.name };
  throw new TypeError(`${appId} is neither a site nor a slot id`);
}

/**
 * The host of an app's Kudu (SCM) site: the Repository entry of hostNameSslStates, as ARM reports it; without one,
 * App Service's convention, <app>.scm.<domain> (a host name without a dot is left as it is).
 */
export function scmHostNameOf(site: Pick<Site, 'hostNameSslStates'>, hostName: string): string {
  const repository = site.hostNameSslStates?.find((s) => s.hostType === 'Repository')?.name;
  if (repository !== undefined && repository !== '') return repository;
  const dot = hostName.indexOf('.');
  return dot < 0 ? hostName : `${hostName.slice(0, dot)}.scm${hostName.slice(dot)}`;
}
