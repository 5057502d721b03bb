import type { Site } from '@azure/arm-appservice';
import type { ArmClients } from '../arm-clients.js';
import { addressOf } from './app-address.js';
import type { SelectedApp } from './app-discovery.js';
import type { SubscriptionReader } from './arm-reader.js';
import type { ScopeFilter, ScopedResource } from './scope-filter.js';

/**
 * Lists one subscription's sites (paged), then the slots (paged) of each site the scope may select or whose
 * slots it may select, and answers the sites and slots the scope selects. Every selected site carries all its
 * slot ids, in scope or not: the planner needs to know a site has slots to move them first.
 */
export async function listSelectedApps(reader: SubscriptionReader, clients: ArmClients, subscriptionId: string, filter: ScopeFilter): Promise<SelectedApp[]> {
  const sites = await reader.list(`list the sites of subscription ${subscriptionId}`, (o) => clients.web.webApps.list(o));
  const perSite = await Promise.all(
    sites
      .filter((site) => filter.isCandidate(scoped(site)))
      .map(async (site) => {
        const at = addressOf(site.id ?? '');
        const slots = await reader.list(`list the slots of ${site.id ?? ''}`, (o) => clients.web.webApps.listSlots(at.resourceGroup, at.site, o));
        const selected: SelectedApp[] = filter.selectsSite(scoped(site)) ? [{ resource: site, slotIds: slots.map((s) => s.id ?? '') }] : [];
        for (const slot of slots) if (filter.selectsSlot(scoped(slot), scoped(site))) selected.push({ resource: slot, slotIds: [] });
        return selected;
      }),
  );
  return perSite.flat();
}

function scoped(resource: Site): ScopedResource {
  return { id: resource.id ?? '', ...(resource.tags === undefined ? {} : { tags: resource.tags }) };
}
