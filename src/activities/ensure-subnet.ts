/**
 * Creates the plan group's integration subnet, delegated to Microsoft.Web/serverFarms, or checks that the one the
 * plan reuses is ready. Before any app of the group is touched: a subnet that cannot be made costs no downtime.
 */
import { ensureSubnet as ensureArmSubnet } from '../azure/app-networking/index.js';
import type { StepResult } from '../domain/migration-model.js';
import type { SubnetToEnsure } from '../orchestrations/engine-contract.js';
import { armOptions } from './arm-options.js';
import type { EngineDependencies } from './engine-dependencies.js';
import { runStep } from './step-result.js';

export function ensureSubnet(deps: EngineDependencies) {
  return (input: { migrationId: string; groupIndex: number; subnet: SubnetToEnsure }): Promise<StepResult<{ created: boolean }>> =>
    runStep(async () => {
      const change = await ensureArmSubnet(input.subnet, armOptions(deps));
      await deps.state.audit.append({
        appId: input.subnet.subnetId,
        migrationId: input.migrationId,
        time: deps.now().toISOString(),
        action: change.action,
        before: change.before,
        after: change.after,
        outcome: change.applied ? 'applied' : 'already-applied',
      });
      return { created: change.created };
    });
}
