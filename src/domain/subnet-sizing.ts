/**
 * How big a regional integration subnet must be for the plans that will join it.
 *
 * App Service takes one address per plan instance (Windows containers: one more per app per instance), Azure
 * keeps 5 per subnet, and scaling or a platform upgrade briefly runs old and new instances side by side, so the
 * need doubles. Subnets cannot be resized while in use, so we size for the plan's peak (its maximum workers,
 * or the elastic maximum for Elastic Premium), not its current instance count.
 */
import { MigratorError } from './errors.js';

export const AZURE_RESERVED_ADDRESSES = 5;
/** App Service refuses integration subnets smaller than /28. */
export const SMALLEST_INTEGRATION_PREFIX = 28;
/** Multi-plan subnet join needs at least /26. */
export const MULTI_PLAN_MAX_PREFIX = 26;
/** Beyond /16 the input is almost certainly wrong (a VNet's whole space is commonly /16); we refuse to plan it. */
export const LARGEST_PLANNABLE_PREFIX = 16;

export interface PlanSizingInput {
  readonly planId: string;
  /** The plan's sku tier, e.g. "PremiumV3" or "ElasticPremium". */
  readonly skuTier: string;
  readonly maximumNumberOfWorkers: number;
  /** Elastic Premium's burst ceiling; the peak for ElasticPremium plans. */
  readonly maximumElasticWorkerCount?: number | undefined;
  /** Windows container apps in the plan: each takes one extra address per instance. */
  readonly windowsContainerApps: number;
}

export interface SubnetSizingInput {
  readonly plans: readonly PlanSizingInput[];
  /** Several plans share the subnet (multi-plan subnet join). Implied when more than one plan is given. */
  readonly multiPlan?: boolean;
}

export interface SubnetSizing {
  readonly prefixLength: number;
  readonly addressesNeeded: number;
  /** Each factor that decided the size, in words, in the order it was applied. */
  readonly reasoning: readonly string[];
}

export class InvalidSizingInputError extends MigratorError {
  readonly code = 'InvalidSizingInput';
  constructor(problem: string, details: Record<string, unknown>) {
    super(`Cannot size the integration subnet: ${problem}.`, false, { details: { problem, ...details } });
  }
}

export class SubnetTooLargeError extends MigratorError {
  readonly code = 'SubnetTooLarge';
  constructor(addressesNeeded: number, prefixLength: number) {
    super(
      `The plans need ${addressesNeeded} addresses, a /${prefixLength} subnet, larger than the /${LARGEST_PLANNABLE_PREFIX} ` +
        'this tool will plan. Check the plans\' worker maximums, or split the plans across subnets.',
      false,
      { details: { addressesNeeded, prefixLength, largestPlannablePrefix: LARGEST_PLANNABLE_PREFIX } },
    );
  }
}

export function isElasticPremium(skuTier: string): boolean {
  return skuTier.toLowerCase() === 'elasticpremium';
}

function requireCount(value: number, what: string, planId: string, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new InvalidSizingInputError(`${what} of ${planId} must be an integer of at least ${minimum}, got ${value}`, {
      planId,
      field: what,
      value,
    });
  }
}

function peakInstances(plan: PlanSizingInput, reasoning: string[]): number {
  requireCount(plan.maximumNumberOfWorkers, 'maximumNumberOfWorkers', plan.planId, 1);
  if (isElasticPremium(plan.skuTier)) {
    if (plan.maximumElasticWorkerCount !== undefined) {
      requireCount(plan.maximumElasticWorkerCount, 'maximumElasticWorkerCount', plan.planId, 1);
      reasoning.push(
        `${plan.planId} is Elastic Premium: its peak is the elastic maximum of ${plan.maximumElasticWorkerCount} instances.`,
      );
      return plan.maximumElasticWorkerCount;
    }
    reasoning.push(
      `${plan.planId} is Elastic Premium but reports no elastic maximum: using maximumNumberOfWorkers ` +
        `(${plan.maximumNumberOfWorkers}) as its peak.`,
    );
    return plan.maximumNumberOfWorkers;
  }
  reasoning.push(`${plan.planId} can scale to ${plan.maximumNumberOfWorkers} instances (maximumNumberOfWorkers).`);
  return plan.maximumNumberOfWorkers;
}

/** Smallest prefix length whose block holds `addresses` (rounded up to a power of two). */
function prefixFor(addresses: number): number {
  return 32 - Math.ceil(Math.log2(addresses));
}

export function sizeIntegrationSubnet(input: SubnetSizingInput): SubnetSizing {
  if (input.plans.length === 0) throw new InvalidSizingInputError('no plan joins the subnet', { plans: 0 });
  const reasoning: string[] = [];
  let perInstanceAddresses = 0;
  for (const plan of input.plans) {
    const peak = peakInstances(plan, reasoning);
    requireCount(plan.windowsContainerApps, 'windowsContainerApps', plan.planId, 0);
    const containerExtras = plan.windowsContainerApps * peak;
    if (containerExtras > 0) {
      reasoning.push(
        `${plan.planId} runs ${plan.windowsContainerApps} Windows container app(s): ${containerExtras} more addresses ` +
          `(one per app per instance).`,
      );
    }
    perInstanceAddresses += peak + containerExtras;
  }
  const addressesNeeded = 2 * perInstanceAddresses + AZURE_RESERVED_ADDRESSES;
  reasoning.push(
    `Doubled for scaling and platform upgrades (${perInstanceAddresses} x 2 = ${2 * perInstanceAddresses}) plus ` +
      `${AZURE_RESERVED_ADDRESSES} addresses Azure reserves: ${addressesNeeded} addresses.`,
  );
  let prefixLength = prefixFor(addressesNeeded);
  reasoning.push(`${addressesNeeded} addresses round up to ${2 ** (32 - prefixLength)}: a /${prefixLength}.`);
  if (prefixLength > SMALLEST_INTEGRATION_PREFIX) {
    prefixLength = SMALLEST_INTEGRATION_PREFIX;
    reasoning.push(`Raised to /${SMALLEST_INTEGRATION_PREFIX}, the smallest subnet App Service accepts for integration.`);
  }
  const multiPlan = input.multiPlan === true || input.plans.length > 1;
  if (multiPlan && prefixLength > MULTI_PLAN_MAX_PREFIX) {
    prefixLength = MULTI_PLAN_MAX_PREFIX;
    reasoning.push(`Raised to /${MULTI_PLAN_MAX_PREFIX}: a subnet joined by several plans must be at least /${MULTI_PLAN_MAX_PREFIX}.`);
  }
  if (prefixLength < LARGEST_PLANNABLE_PREFIX) throw new SubnetTooLargeError(addressesNeeded, prefixLength);
  return { prefixLength, addressesNeeded, reasoning };
}
