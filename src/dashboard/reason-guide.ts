/**
 * Every reason code the service answers, in words, with what an operator does about it: the planner's eligibility
 * codes (src/domain/eligibility.ts, docs/domain.md) and the engine's outcome codes (src/orchestrations). Served to
 * the browser as is: no imports.
 */
export interface ReasonGuide {
  readonly meaning: string;
  readonly fix: string;
}

const GUIDE: Readonly<Record<string, ReasonGuide>> = {
  eligible: { meaning: 'Gateway-based, on a supported plan, with one gateway VNet in its region (or a Connected in-region peer of it).', fix: 'Nothing: it migrates.' },
  'slot-present': {
    meaning: 'Eligible, and it has deployment slots: VNet integration belongs to each slot and does not swap, so its slots move and are verified first.',
    fix: 'Nothing: it migrates slots-first.',
  },
  'already-regional': { meaning: 'Already uses regional VNet integration.', fix: 'Nothing to do. Remove any leftover gateway connection by hand if one is listed.' },
  'no-gateway-integration': { meaning: 'Has no gateway-based VNet integration.', fix: 'Nothing to do.' },
  'unsupported-sku': {
    meaning: 'Its App Service plan tier has no regional VNet integration (Free, Shared, Consumption, Isolated) or is one this tool does not move (Flex Consumption).',
    fix: 'Scale the plan up to Basic, Standard or Premium (v2, v3, v4) or Elastic Premium, then run again.',
  },
  'multiple-gateway-vnets': {
    meaning: 'Connected to more than one VNet through gateways; regional integration gives an app one subnet.',
    fix: 'Peer the VNets, keep one gateway connection, then run again.',
  },
  'cross-region-vnet': {
    meaning: "The gateway VNet is in another region and no VNet in the app's region has a Connected peering to it.",
    fix: "Create a VNet in the app's region (or use one), peer it globally with the gateway VNet until the peering is Connected, then run again.",
  },
  'plan-subnet-limit': {
    meaning: 'The plan would need more than two regional subnets (App Service allows two per plan).',
    fix: 'Move the apps of the plan onto at most two VNets (peer the others), or split the plan.',
  },
  'no-address-space': {
    meaning: 'The target VNet has no empty delegated subnet and no free block of the size the plan needs.',
    fix: 'Add an address prefix to the VNet (or free one of the ranges listed), then run again.',
  },
  canceled: { meaning: 'The migration was canceled before this app started; nothing was changed.', fix: 'Start a new migration for it when ready.' },
  'snapshot-failed': { meaning: 'Its networking could not be read before the move; nothing was changed.', fix: "Read App Service's message (permissions, a deleted app, ARM unavailable), fix it, run again." },
  'unhealthy-before-move': { meaning: 'It was not healthy before the move, so it was not touched.', fix: 'Make its health path answer 200 first, then run again.' },
  'slot-not-migrated': { meaning: 'One of its slots did not migrate, so the production app was left as it was.', fix: 'Fix the slot (see its own reason), then run again.' },
  'subnet-failed': { meaning: "The plan's integration subnet could not be created or reused; no app of the plan was touched.", fix: "Read Microsoft.Network's message (quota, policy, overlapping prefix), fix it, run again." },
  'held-by-another-migration': { meaning: 'Another active migration holds this app.', fix: 'Wait for the other migration to finish, or cancel it.' },
  'rollback-incomplete': {
    meaning: 'A step failed and the rollback could not bring the app back exactly to its snapshot.',
    fix: "Needs a person now: compare the app with its snapshot (differences listed) and restore what differs, following App Service's message.",
  },
};

const FAILED_STEP = /^(.+)-failed$/;

/** The words for a reason code; `<step>-failed` codes (the step failed, the app was rolled back to its snapshot) are generic. */
export function reasonGuide(code: string | null | undefined): ReasonGuide | undefined {
  if (code === null || code === undefined) return undefined;
  const known = GUIDE[code];
  if (known !== undefined) return known;
  const step = FAILED_STEP.exec(code)?.[1];
  if (step === undefined) return undefined;
  return {
    meaning: `The ${step} step failed; the app was rolled back to exactly its snapshot.`,
    fix: `Read App Service's message for the ${step} step, fix the cause (permissions, policy, quota, the app's health), then run again.`,
  };
}
