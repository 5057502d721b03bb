import { AppTarget } from './app-target.js';
import { armRead, writeConfirmed } from './confirmed-write.js';
import type { ChangeRecord, OperationOptions } from './operation-options.js';

const subnetNameOf = (id: string): string => id.split('/').pop() ?? id;

async function regionalSubnetOf(target: AppTarget, operation: string): Promise<string | null> {
  const subnetId = (await armRead(operation, () => target.readSite())).site.virtualNetworkSubnetId;
  return typeof subnetId === 'string' && subnetId !== '' ? subnetId : null;
}

const same = (a: string | null, b: string): boolean => a !== null && a.toLowerCase() === b.toLowerCase();

/**
 * Joins the app to `subnetId` with regional integration (PATCH the site's virtualNetworkSubnetId, as the planner's
 * cross-check proved against the simulator). App Service's 409 "Failed to acquire ServiceAssociationLinkLease"
 * (another join of the same subnet holds the lease) comes out retryable; see ../to-arm-error.ts.
 */
export async function connectRegional(appId: string, subnetId: string, opts: OperationOptions): Promise<ChangeRecord> {
  const target = new AppTarget(appId, opts);
  const operation = `connect ${target.name} to subnet ${subnetNameOf(subnetId)}`;
  const action = `connect regional subnet ${subnetNameOf(subnetId)}`;
  const before = await regionalSubnetOf(target, operation);
  if (same(before, subnetId)) return { action, applied: false, before, after: before };
  await writeConfirmed(
    operation,
    () => target.patchSite({ virtualNetworkSubnetId: subnetId }),
    async () => same(await regionalSubnetOf(target, operation), subnetId),
    opts,
  );
  return { action, applied: true, before, after: subnetId };
}

/**
 * Leaves regional integration: DELETE networkConfig/virtualNetwork, what `az webapp vnet-integration remove` sends.
 * (PATCH virtualNetworkSubnetId "" does the same in the simulator; the DELETE is the documented route and needs no
 * join permission on the subnet.)
 */
export async function disconnectRegional(appId: string, opts: OperationOptions): Promise<ChangeRecord> {
  const target = new AppTarget(appId, opts);
  const operation = `disconnect ${target.name} from its regional subnet`;
  const action = 'disconnect regional subnet';
  const before = await regionalSubnetOf(target, operation);
  if (before === null) return { action, applied: false, before, after: null };
  await writeConfirmed(
    operation,
    () => target.deleteRegionalIntegration(),
    async () => (await regionalSubnetOf(target, operation)) === null,
    opts,
  );
  return { action, applied: true, before, after: null };
}
