import { ArmHttpError, notFound } from '../arm-error.js';
import { deepClone, isRecord, objectBody, paged, propertiesOf, requireLocation, stringProp, tagsOf } from '../arm-helpers.js';
import type { JsonObject } from '../arm-helpers.js';
import type { ArmCall, ArmResult, SimulatorContext } from '../router.js';
import type { StoredResource } from '../store.js';
import { appsOfPlanId, PLAN_TYPE } from './integration-index.js';

export function planIdOf(call: ArmCall): string {
  return `/subscriptions/${call.params['sub'] ?? ''}/resourceGroups/${call.params['rg'] ?? ''}/providers/Microsoft.Web/serverfarms/${call.params['plan'] ?? ''}`;
}

export function appsOfPlan(ctx: SimulatorContext, planId: string): StoredResource[] {
  return appsOfPlanId(ctx.store, planId);
}

export function renderPlan(ctx: SimulatorContext, plan: StoredResource): JsonObject {
  const props = deepClone(plan.properties) as JsonObject;
  props['numberOfSites'] = appsOfPlan(ctx, plan.id).filter((a) => a.type === 'Microsoft.Web/sites').length;
  props['status'] = 'Ready';
  props['provisioningState'] = 'Succeeded';
  props['geoRegion'] = plan.location;
  props['numberOfWorkers'] = typeof plan.sku?.['capacity'] === 'number' ? plan.sku['capacity'] : 1;
  return {
    id: plan.id,
    name: plan.name,
    type: PLAN_TYPE,
    kind: plan.kind ?? 'app',
    location: plan.location,
    ...(plan.tags === undefined ? {} : { tags: plan.tags }),
    properties: props,
    sku: plan.sku,
  };
}

const SKU_TIERS: Readonly<Record<string, string>> = {
  F: 'Free', D: 'Shared', B: 'Basic', S: 'Standard', P: 'Premium', Y: 'Dynamic', EP: 'ElasticPremium', I: 'Isolated', FC: 'FlexConsumption',
};

/** Fills tier/size/family from the SKU name when the caller gave only the name (as ARM does). */
function normalizeSku(input: unknown): JsonObject {
  const sku: JsonObject = isRecord(input) ? { ...input } : { name: 'F1' };
  const name = typeof sku['name'] === 'string' ? sku['name'] : 'F1';
  const match = /^([A-Z]+?)(\d)(V\d|MV\d)?$/i.exec(name);
  const family = match?.[1]?.toUpperCase() ?? name;
  const version = match?.[3]?.toUpperCase();
  if (typeof sku['tier'] !== 'string') {
    const base = SKU_TIERS[family] ?? 'Standard';
    sku['tier'] = version === undefined ? base : `${base}${version}`;
  }
  sku['size'] ??= name;
  sku['family'] ??= family;
  sku['capacity'] ??= 1;
  return sku;
}

export function putPlan(call: ArmCall): ArmResult {
  const body = objectBody(call);
  const location = requireLocation(body, 'web');
  const existing = call.ctx.store.get(planIdOf(call));
  const props = { ...(existing?.properties ?? {}), ...deepClone(propertiesOf(body)) };
  const kind = stringProp(body, 'kind') ?? existing?.kind ?? 'app';
  props['reserved'] = props['reserved'] === true || /linux/i.test(kind);
  props['hyperV'] = props['hyperV'] === true || /xenon|windowscontainer/i.test(kind);
  props['maximumNumberOfWorkers'] ??= 30;
  props['isSpot'] ??= false;
  props['perSiteScaling'] ??= false;
  props['zoneRedundant'] ??= false;
  delete props['numberOfSites'];
  delete props['provisioningState'];
  const tags = tagsOf(body);
  const plan: StoredResource = {
    id: existing?.id ?? planIdOf(call),
    name: existing?.name ?? call.params['plan'] ?? '',
    type: PLAN_TYPE,
    kind,
    location,
    ...(tags === undefined ? {} : { tags }),
    sku: normalizeSku(body['sku'] ?? existing?.sku),
    properties: props,
  };
  call.ctx.store.put(plan);
  return { status: 200, body: renderPlan(call.ctx, plan) };
}

export function getPlan(call: ArmCall): ArmResult {
  const plan = call.ctx.store.get(planIdOf(call));
  if (plan === undefined) throw notFound(PLAN_TYPE, call.params['plan'] ?? '', call.params['rg']);
  return { status: 200, body: renderPlan(call.ctx, plan) };
}

export function deletePlan(call: ArmCall): ArmResult {
  const plan = call.ctx.store.get(planIdOf(call));
  if (plan === undefined) return { status: 204 };
  const apps = appsOfPlan(call.ctx, plan.id);
  if (apps.length > 0) {
    throw new ArmHttpError(409, 'ServerFarmInUse', `Server farm '${plan.name}' cannot be deleted because it has web app(s) ${apps.map((a) => a.name).join(',')} assigned to it.`, 'web');
  }
  call.ctx.store.deleteTree(plan.id);
  return { status: 200 };
}

export function listPlans(call: ArmCall): ArmResult {
  const { sub, rg } = call.params;
  const scope = rg === undefined ? `/subscriptions/${sub ?? ''}` : `/subscriptions/${sub ?? ''}/resourceGroups/${rg}`;
  return paged(call, call.ctx.store.ofType(PLAN_TYPE, scope), (p) => renderPlan(call.ctx, p));
}
