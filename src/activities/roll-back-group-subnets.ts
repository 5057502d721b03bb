/**
 * The group-level undo: a subnet this migration created that no app of the group ended up using is deleted. A
 * service association link can linger after the last app leaves (InUseSubnetCannotBeDeleted for a while); then
 * the subnet is left in place and reported on the migration, never retried forever.
 */
import { deleteSubnetIfUnused } from '../azure/app-networking/index.js';
import type { StepResult } from '../domain/migration-model.js';
import { armOptions } from './arm-options.js';
import type { EngineDependencies } from './engine-dependencies.js';
import { readGroupHeader } from './load-plan-group.js';
import { runStep } from './step-result.js';

export interface LeftoverSubnet {
  readonly subnetId: string;
  readonly reason: string;
}

export function rollBackGroupSubnets(deps: EngineDependencies) {
  return (input: { migrationId: string; groupIndex: number }): Promise<StepResult<{ deleted: string[]; left: LeftoverSubnet[] }>> =>
    runStep(async () => {
      const header = await readGroupHeader(deps, input.migrationId, input.groupIndex);
      const deleted: string[] = [];
      const left: LeftoverSubnet[] = [];
      for (const subnet of header.subnets.filter((s) => s.action === 'create')) {
        const outcome = await deleteSubnetIfUnused(subnet.subnetId, armOptions(deps));
        await deps.state.audit.append({
          appId: subnet.subnetId,
          migrationId: input.migrationId,
          time: deps.now().toISOString(),
          action: 'delete-created-subnet',
          before: { subnetId: subnet.subnetId },
          after: outcome,
          outcome: outcome.deleted ? 'applied' : 'failed',
          ...(outcome.reason === undefined ? {} : { message: outcome.reason }),
        });
        if (outcome.deleted) deleted.push(subnet.subnetId);
        else left.push({ subnetId: subnet.subnetId, reason: outcome.reason ?? 'still in use' });
      }
      if (left.length > 0) {
        await deps.state.migrations.update(input.migrationId, (current) => {
          const advice = (current.advice ?? {}) as { leftoverSubnets?: LeftoverSubnet[] };
          return { advice: { ...advice, leftoverSubnets: [...(advice.leftoverSubnets ?? []), ...left] } };
        });
      }
      return { deleted, left };
    });
}
