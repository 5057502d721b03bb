import type { GroupApp, LoadedGroup } from '../orchestrations/engine-contract.js';
import { StateRecordNotFoundError } from '../state/state-errors.js';
import type { EngineDependencies } from './engine-dependencies.js';
import { PLAN_GROUPS_DOCUMENT, type PlanGroupHeader } from './plan-fleet.js';

/** One plan group as its orchestration needs it: the plan, its subnets, and the ids of its apps still to move. */
export async function readGroupHeaders(deps: EngineDependencies, migrationId: string): Promise<PlanGroupHeader[]> {
  const headers = await deps.state.documents.get<PlanGroupHeader[]>(PLAN_GROUPS_DOCUMENT, migrationId);
  if (headers === undefined) throw new StateRecordNotFoundError(`The plan groups of migration ${migrationId}`, { migrationId });
  return headers;
}

/** Its own row (one point read); a migration planned before those rows existed has only the whole list. */
export async function readGroupHeader(deps: EngineDependencies, migrationId: string, groupIndex: number): Promise<PlanGroupHeader> {
  const header =
    (await deps.state.apps.getGroup<PlanGroupHeader>(migrationId, groupIndex)) ??
    (await deps.state.documents.get<PlanGroupHeader[]>(PLAN_GROUPS_DOCUMENT, migrationId))?.[groupIndex];
  if (header === undefined) throw new StateRecordNotFoundError(`Plan group ${groupIndex} of migration ${migrationId}`, { migrationId, groupIndex });
  return header;
}

export function loadPlanGroup(deps: EngineDependencies) {
  return async (input: { migrationId: string; groupIndex: number }): Promise<LoadedGroup> => {
    const header = await readGroupHeader(deps, input.migrationId, input.groupIndex);
    const records = await deps.state.apps.listGroup(input.migrationId, input.groupIndex);
    const apps: GroupApp[] = records
      .filter((r) => r.outcome === 'pending' || r.outcome === 'inProgress')
      .map((r) => ({ appId: r.appId, order: r.order, subnetId: r.plan?.subnetId ?? header.planId, dependsOn: r.plan?.dependsOn ?? [] }));
    return { planId: header.planId, subnets: header.subnets, apps, movedEarlier: records.some((r) => r.outcome === 'succeeded') };
  };
}
