// The areas mutation testing measures, each one Stryker run with its own tests, report, incremental file and
// break threshold. Read by stryker.config.mjs, vitest.mutation.config.ts and scripts/mutation.mjs; scores are in
// docs/mutation.md. `breakAt` sits just under the last recorded score so a drop fails the run; null: not yet measured.

/**
 * @typedef {{ mutate: string[], tests: string[], breakAt: number | null, product: boolean, about: string, sandboxLocalhostTests?: boolean }} MutationArea
 * sandboxLocalhostTests: copy tools/functions-localhost/test into Stryker's sandbox (only the durable area's tests live there).
 */

/** @type {Record<string, MutationArea>} */
export const MUTATION_AREAS = {
  domain: {
    about: 'planning decisions: resource ids, CIDR, sizing, eligibility, routing, plan builder, errors',
    mutate: ['src/domain/**/*.ts'],
    tests: ['test/domain/**/*.test.ts', 'test/cross-check/plan-tiers.test.ts', 'test/cross-check/plan-subnet-limit.test.ts'],
    // 95.30% on 2026-12-03 (docs/mutation.md).
    breakAt: 95,
    product: true,
  },
  azure: {
    about: 'ARM access: error classification, settings, credential, clients, raw requests (tests run the real SDKs against the simulator)',
    mutate: ['src/azure/*.ts'],
    tests: ['test/azure/*.test.ts', 'test/azure/app-networking/to-arm-error-retryable.test.ts'],
    // 91.11% on 2026-12-03, session 6 (docs/mutation.md).
    breakAt: 91,
    product: true,
  },
  'azure-io': {
    about: "the engine's ARM operations (app networking, discovery, probes): scenario tests against the simulator",
    mutate: ['src/azure/app-networking/**/*.ts', 'src/azure/discovery/**/*.ts', 'src/azure/app-probes/**/*.ts'],
    tests: ['test/azure/app-networking/**/*.test.ts', 'test/azure/discovery/**/*.test.ts', 'test/azure/app-probes/**/*.test.ts'],
    // 91.16% on 2026-12-03 (session 7) over every file with mutants, measured in chunks (docs/mutation.md). Its tests
    // are independent (each starts from the simulator's world as seeded), so Stryker's per-test runs mean something.
    breakAt: 91,
    product: true,
  },
  http: {
    about: 'problem+json, validated bodies, api-version parsing',
    mutate: ['src/http/**/*.ts'],
    tests: ['test/http/**/*.test.ts', 'test/functions/plans.test.ts'],
    breakAt: null,
    product: true,
  },
  engine: {
    about: 'the migration engine: orchestrations, activities, state',
    mutate: ['src/orchestrations/**/*.ts', 'src/activities/**/*.ts', 'src/state/**/*.ts'],
    tests: ['test/orchestrations/**/*.test.ts', 'test/activities/**/*.test.ts', 'test/state/**/*.test.ts'],
    breakAt: null,
    product: true,
  },
  simulator: {
    about: "the ARM simulator's App Service rules and its request policies (faults, throttling, latency, RBAC)",
    mutate: ['tools/arm-simulator/src/web/rules.ts', 'tools/arm-simulator/src/policy/**/*.ts'],
    tests: ['tools/arm-simulator/test/rules.test.ts', 'tools/arm-simulator/test/policy/**/*.test.ts', 'test/cross-check/plan-tiers.test.ts', 'test/cross-check/plan-subnet-limit.test.ts'],
    breakAt: null,
    product: false,
  },
  durable: {
    about: "the local durable engine's task ledger (retries and their back-off), durable timers and clock",
    mutate: ['tools/functions-localhost/src/durable/task-ledger.ts', 'tools/functions-localhost/src/durable/durable-timers.ts', 'tools/functions-localhost/src/durable/engine-clock.ts'],
    tests: ['tools/functions-localhost/test/durable/task-ledger.test.ts', 'tools/functions-localhost/test/durable/durable-timers.test.ts', 'tools/functions-localhost/test/durable/engine-timing.test.ts'],
    breakAt: null,
    product: false,
    sandboxLocalhostTests: true,
  },
};

export function areaNamed(name) {
  const area = MUTATION_AREAS[name];
  if (area === undefined) throw new Error(`Unknown mutation area '${name}'; known: ${Object.keys(MUTATION_AREAS).join(', ')}.`);
  return area;
}
