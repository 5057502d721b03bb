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
