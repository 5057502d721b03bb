import { describe, expect, it } from 'vitest';
import {
  InvalidSizingInputError,
  SubnetTooLargeError,
  sizeIntegrationSubnet,
  type PlanSizingInput,
} from '../../src/domain/subnet-sizing.js';

const plan = (overrides: Partial<PlanSizingInput> = {}): PlanSizingInput => ({
  planId: 'plan-a',
  skuTier: 'PremiumV3',
  maximumNumberOfWorkers: 3,
  windowsContainerApps: 0,
  ...overrides,
});

describe('sizeIntegrationSubnet', () => {
  it.each([
    ['a one-instance plan is raised to the /28 floor', [plan({ maximumNumberOfWorkers: 1 })], false, 28, 7, /8: a \/29\.\nRaised to \/28, the smallest/],
    ['/28 exactly fits 5 instances (2x5+5=15)', [plan({ maximumNumberOfWorkers: 5 })], false, 28, 15, /round up to 16: a \/28/],
    ['6 instances need 17 addresses: /27', [plan({ maximumNumberOfWorkers: 6 })], false, 27, 17, /round up to 32: a \/27/],
    ['PremiumV3 at 30 workers: 65 addresses, /25', [plan({ maximumNumberOfWorkers: 30 })], false, 25, 65, /round up to 128/],
    ['large plan of 200 workers: /23', [plan({ maximumNumberOfWorkers: 200 })], false, 23, 405, /round up to 512: a \/23/],
    ['multi-plan join is raised to /26', [plan({ maximumNumberOfWorkers: 3 })], true, 26, 11, /several plans must be at least \/26/],
    [
      'two plans imply multi-plan and add their peaks',
      [plan({ maximumNumberOfWorkers: 3 }), plan({ planId: 'plan-b', maximumNumberOfWorkers: 4 })],
      undefined,
      26,
      19,
      /several plans/,
    ],
    [
      'multi-plan above /26 keeps its size',
      [plan({ maximumNumberOfWorkers: 30 }), plan({ planId: 'plan-b', maximumNumberOfWorkers: 30 })],
      true,
      25,
      125,
      /round up to 128: a \/25/,
    ],
    [
      'Windows container apps add one address per app per instance',
      [plan({ maximumNumberOfWorkers: 10, windowsContainerApps: 2 })],
      false,
      25,
      65,
      /2 Windows container app\(s\): 20 more addresses/,
    ],
    [
      'Elastic Premium uses the elastic maximum',
      [plan({ skuTier: 'ElasticPremium', maximumNumberOfWorkers: 1, maximumElasticWorkerCount: 20 })],
      false,
      26,
      45,
      /elastic maximum of 20 instances/,
    ],
    [
      'Elastic Premium without an elastic maximum falls back to maximumNumberOfWorkers',
      [plan({ skuTier: 'ElasticPremium', maximumNumberOfWorkers: 100 })],
      false,
      24,
      205,
      /reports no elastic maximum/,
    ],
    [
      'non-elastic plans ignore the elastic maximum',
      [plan({ maximumNumberOfWorkers: 3, maximumElasticWorkerCount: 100 })],
      false,
      28,
      11,
      /can scale to 3 instances/,
    ],
  ])('%s', (_name, plans, multiPlan, prefixLength, addressesNeeded, reason) => {
    const sizing = sizeIntegrationSubnet({ plans, ...(multiPlan === undefined ? {} : { multiPlan }) });
    expect(sizing.prefixLength).toBe(prefixLength);
    expect(sizing.addressesNeeded).toBe(addressesNeeded);
    expect(sizing.reasoning.join('\n')).toMatch(reason);
  });

  it('rejects an input needing more than a /16', () => {
    expect(() => sizeIntegrationSubnet({ plans: [plan({ maximumNumberOfWorkers: 40_000 })] })).toThrow(SubnetTooLargeError);
    expect(() => sizeIntegrationSubnet({ plans: [plan({ maximumNumberOfWorkers: 40_000 })] })).toThrow(/a \/15 subnet/);
  });

  it('accepts exactly a /16', () => {
    expect(sizeIntegrationSubnet({ plans: [plan({ maximumNumberOfWorkers: 32_000 })] }).prefixLength).toBe(16);
  });

  it.each([
    [{ plans: [] }, /no plan joins the subnet/],
    [{ plans: [plan({ maximumNumberOfWorkers: 0 })] }, /maximumNumberOfWorkers of plan-a must be an integer of at least 1, got 0/],
    [{ plans: [plan({ maximumNumberOfWorkers: 2.5 })] }, /got 2.5/],
    [{ plans: [plan({ windowsContainerApps: -1 })] }, /windowsContainerApps of plan-a/],
    [{ plans: [plan({ skuTier: 'ElasticPremium', maximumElasticWorkerCount: 0 })] }, /maximumElasticWorkerCount/],
  ])('rejects invalid input %j', (input, message) => {
    expect(() => sizeIntegrationSubnet(input)).toThrow(InvalidSizingInputError);
    expect(() => sizeIntegrationSubnet(input)).toThrow(message);
  });

  it('explains every step of the size, line by line', () => {
    expect(sizeIntegrationSubnet({ plans: [plan({ maximumNumberOfWorkers: 5 })] }).reasoning).toEqual([
      'plan-a can scale to 5 instances (maximumNumberOfWorkers).',
      'Doubled for scaling and platform upgrades (5 x 2 = 10) plus 5 addresses Azure reserves: 15 addresses.',
      '15 addresses round up to 16: a /28.',
    ]);
    expect(sizeIntegrationSubnet({ plans: [plan({ skuTier: 'ElasticPremium', maximumNumberOfWorkers: 1, windowsContainerApps: 2 })] }).reasoning).toEqual([
      'plan-a is Elastic Premium but reports no elastic maximum: using maximumNumberOfWorkers (1) as its peak.',
      'plan-a runs 2 Windows container app(s): 2 more addresses (one per app per instance).',
      'Doubled for scaling and platform upgrades (3 x 2 = 6) plus 5 addresses Azure reserves: 11 addresses.',
      '11 addresses round up to 16: a /28.',
    ]);
  });

  it('a multi-plan subnet that needs exactly a /26 is not said to be raised', () => {
    const sizing = sizeIntegrationSubnet({ plans: [plan({ maximumNumberOfWorkers: 14 }), plan({ planId: 'plan-b', maximumNumberOfWorkers: 15 })] });
    expect(sizing).toMatchObject({ prefixLength: 26, addressesNeeded: 63 });
    expect(sizing.reasoning.at(-1)).toBe('63 addresses round up to 64: a /26.');
  });

  it('refuses with stable codes, not retryable, with the facts in details', () => {
    expect(() => sizeIntegrationSubnet({ plans: [plan({ maximumNumberOfWorkers: 40_000 })] })).toThrow(
      expect.objectContaining({
        code: 'SubnetTooLarge',
        retryable: false,
        details: { addressesNeeded: 80_005, prefixLength: 15, largestPlannablePrefix: 16 },
        message: "The plans need 80005 addresses, a /15 subnet, larger than the /16 this tool will plan. Check the plans' worker maximums, or split the plans across subnets.",
      }) as Error,
    );
    expect(() => sizeIntegrationSubnet({ plans: [plan({ maximumNumberOfWorkers: 0 })] })).toThrow(
      expect.objectContaining({
        code: 'InvalidSizingInput',
        retryable: false,
        details: { problem: 'maximumNumberOfWorkers of plan-a must be an integer of at least 1, got 0', planId: 'plan-a', field: 'maximumNumberOfWorkers', value: 0 },
        message: 'Cannot size the integration subnet: maximumNumberOfWorkers of plan-a must be an integer of at least 1, got 0.',
      }) as Error,
    );
    expect(() => sizeIntegrationSubnet({ plans: [] })).toThrow(expect.objectContaining({ details: { problem: 'no plan joins the subnet', plans: 0 } }) as Error);
  });
});
