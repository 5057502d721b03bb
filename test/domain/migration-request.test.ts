import { describe, expect, it } from 'vitest';
import { MigrationRequestSchema, type MigrationRequestInput } from '../../src/domain/migration-request.js';

const SUB = '6f1c2a8e-4b3d-4e5f-9a10-000000000001';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-web`;
const SITE = `${RG}/providers/Microsoft.Web/sites/shop`;
const minimal: MigrationRequestInput = { scope: { subscriptionIds: [SUB] } };

/** The request with `change` applied, validated: the issues as "path: message", or [] when accepted. */
function issuesOf(change: (request: Record<string, unknown> & { scope: Record<string, unknown> }) => void): string[] {
  const request = structuredClone(minimal) as Record<string, unknown> & { scope: Record<string, unknown> };
  change(request);
  const result = MigrationRequestSchema.safeParse(request);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('MigrationRequestSchema', () => {
  it('fills the documented defaults for a request naming only subscriptions', () => {
    expect(MigrationRequestSchema.parse(minimal)).toEqual({
      scope: { subscriptionIds: [SUB] },
      maxParallel: 4,
      maxParallelPerPlan: 4,
      failureThreshold: 5,
      dryRun: false,
      allowCrossRegion: false,
      verify: { healthPath: '/', timeoutSeconds: 300, dependencies: [] },
    });
  });

  it('fills verify defaults field by field when only some are given', () => {
    expect(MigrationRequestSchema.parse({ ...minimal, verify: { healthPath: '/health' } }).verify).toEqual({
      healthPath: '/health',
      timeoutSeconds: 300,
      dependencies: [],
    });
  });

  it.each<[string, (r: Record<string, unknown> & { scope: Record<string, unknown> }) => void]>([
    ['upper-case subscription GUID', (r) => (r.scope.subscriptionIds = [SUB.toUpperCase()])],
    ['100 subscriptions', (r) => (r.scope.subscriptionIds = Array.from({ length: 100 }, () => SUB))],
    ['resource group of one character', (r) => (r.scope.resourceGroups = ['a'])],
    ['resource group with dots, parentheses, dashes and underscores', (r) => (r.scope.resourceGroups = ['rg.web_(prod)-1'])],
    ['resource group of 90 characters', (r) => (r.scope.resourceGroups = ['r'.repeat(90)])],
    ['a site id', (r) => (r.scope.appIds = [SITE])],
    ['a slot id', (r) => (r.scope.appIds = [`${SITE}/slots/staging`])],
    ['1,800 app ids of typical length', (r) => (r.scope.appIds = Array.from({ length: 1800 }, (_, i) => `${SITE}${'x'.repeat(40)}${i}`))],
    ['tags, empty value allowed', (r) => (r.scope.tags = { env: 'prod', owner: '' })],
    ['both strategies', (r) => (r.strategy = 'slots-first')],
    ['maxParallel 1 and 100', (r) => Object.assign(r, { maxParallel: 100, failureThreshold: 1 })],
    ['failureThreshold 10000', (r) => (r.failureThreshold = 10_000)],
    ['health path with segments', (r) => (r.verify = { healthPath: '/api/health/ready' })],
    ['timeout 10 s and 3600 s', (r) => (r.verify = { timeoutSeconds: 10 })],
    ['timeout 3600 s', (r) => (r.verify = { timeoutSeconds: 3600 })],
    ['dependencies as host and host:port', (r) => (r.verify = { dependencies: ['sql.internal', 'cache.internal:6380', '10.0.0.4:1'] })],
    ['50 dependencies', (r) => (r.verify = { dependencies: Array.from({ length: 50 }, (_, i) => `h${i}:443`) })],
  ])('accepts %s', (_, change) => {
    expect(issuesOf(change)).toEqual([]);
  });

  it.each<[string, (r: Record<string, unknown> & { scope: Record<string, unknown> }) => void, string[]]>([
    ['no subscription', (r) => (r.scope.subscriptionIds = []), ['scope.subscriptionIds: Too small: expected array to have >=1 items']],
    ['101 subscriptions', (r) => (r.scope.subscriptionIds = Array.from({ length: 101 }, () => SUB)), ['scope.subscriptionIds: Too big: expected array to have <=100 items']],
    [
      'more app ids than a migration can store',
      (r) => (r.scope.appIds = Array.from({ length: 2500 }, (_, i) => `${SITE}${'x'.repeat(40)}${i}`)),
      ['scope.appIds: lists more app ids than a migration can store (at most 300,000 characters of ids, about 2,000 ids): select by resourceGroups or tags instead'],
    ],
    ['a subscription that is not a GUID', (r) => (r.scope.subscriptionIds = ['prod']), ['scope.subscriptionIds.0: must be a subscription GUID']],
    ['a GUID with text before it', (r) => (r.scope.subscriptionIds = [`x${SUB}`]), ['scope.subscriptionIds.0: must be a subscription GUID']],
    ['a GUID with text after it', (r) => (r.scope.subscriptionIds = [`${SUB}x`]), ['scope.subscriptionIds.0: must be a subscription GUID']],
    ['a GUID with a short group', (r) => (r.scope.subscriptionIds = ['6f1c2a8e-4b3d-4e5f-9a1-000000000001']), ['scope.subscriptionIds.0: must be a subscription GUID']],
    ['a GUID with a non-hex digit', (r) => (r.scope.subscriptionIds = ['6f1c2a8g-4b3d-4e5f-9a10-000000000001']), ['scope.subscriptionIds.0: must be a subscription GUID']],
    ['a GUID without its dashes', (r) => (r.scope.subscriptionIds = [SUB.replaceAll('-', '')]), ['scope.subscriptionIds.0: must be a subscription GUID']],
    ['a resource group ending in a dot', (r) => (r.scope.resourceGroups = ['rg.']), ['scope.resourceGroups.0: must be a resource group name']],
    ['an empty resource group', (r) => (r.scope.resourceGroups = ['']), ['scope.resourceGroups.0: must be a resource group name']],
    ['a resource group of 91 characters', (r) => (r.scope.resourceGroups = ['r'.repeat(91)]), ['scope.resourceGroups.0: must be a resource group name']],
    ['a resource group with a space', (r) => (r.scope.resourceGroups = ['rg web']), ['scope.resourceGroups.0: must be a resource group name']],
    ['a resource group with a slash', (r) => (r.scope.resourceGroups = ['rg/web']), ['scope.resourceGroups.0: must be a resource group name']],
    ['1001 resource groups', (r) => (r.scope.resourceGroups = Array.from({ length: 1001 }, () => 'rg')), ['scope.resourceGroups: Too big: expected array to have <=1000 items']],
    ['an app id of a plan', (r) => (r.scope.appIds = [`${RG}/providers/Microsoft.Web/serverFarms/p1`]), ['scope.appIds.0: expected a site or slot id, got a serverFarm id']],
    ['an app id that is not an ARM id', (r) => (r.scope.appIds = ['shop']), [`scope.appIds.0: Invalid resource id 'shop': it must start with '/subscriptions/'.`]],
    ['an app id over 1024 characters', (r) => (r.scope.appIds = [`${SITE}${'x'.repeat(1024)}`]), ['scope.appIds.0: Too big: expected string to have <=1024 characters', expect.stringMatching(/segment 8 is 1028 characters: a sites name is at most 90\.$/)]],
    ['an empty tag name', (r) => (r.scope.tags = { '': 'prod' }), ['scope.tags.: Invalid key in record']],
    ['a tag value over 256 characters', (r) => (r.scope.tags = { env: 'x'.repeat(257) }), ['scope.tags.env: Too big: expected string to have <=256 characters']],
    ['a tag name over 512 characters', (r) => (r.scope.tags = { ['k'.repeat(513)]: 'x' }), [`scope.tags.${'k'.repeat(513)}: Invalid key in record`]],
    ['an unknown scope field', (r) => (r.scope.resourceGroup = 'rg'), ['scope: Unrecognized key: "resourceGroup"']],
    ['a misspelt request field', (r) => (r.maxParalel = 2), [': Unrecognized key: "maxParalel"']],
    ['an unknown strategy', (r) => (r.strategy = 'big-bang'), ['strategy: Invalid option: expected one of "direct"|"slots-first"']],
    ['maxParallel 0', (r) => (r.maxParallel = 0), ['maxParallel: Too small: expected number to be >=1']],
    ['maxParallel 101', (r) => (r.maxParallel = 101), ['maxParallel: Too big: expected number to be <=100']],
    ['maxParallel 1.5', (r) => (r.maxParallel = 1.5), ['maxParallel: Invalid input: expected int, received number']],
    ['failureThreshold 0', (r) => (r.failureThreshold = 0), ['failureThreshold: Too small: expected number to be >=1']],
    ['failureThreshold 10001', (r) => (r.failureThreshold = 10_001), ['failureThreshold: Too big: expected number to be <=10000']],
    ['a health path without its slash', (r) => (r.verify = { healthPath: 'health' }), ['verify.healthPath: must be a path starting with /']],
    ['a health path with a query', (r) => (r.verify = { healthPath: '/health?deep=1' }), ['verify.healthPath: must be a path starting with /']],
    ['a health path with a space', (r) => (r.verify = { healthPath: '/he alth' }), ['verify.healthPath: must be a path starting with /']],
    ['a health path of 513 characters', (r) => (r.verify = { healthPath: `/${'h'.repeat(512)}` }), ['verify.healthPath: Too big: expected string to have <=512 characters']],
    ['a timeout of 9 s', (r) => (r.verify = { timeoutSeconds: 9 }), ['verify.timeoutSeconds: Too small: expected number to be >=10']],
    ['a timeout of 3601 s', (r) => (r.verify = { timeoutSeconds: 3601 }), ['verify.timeoutSeconds: Too big: expected number to be <=3600']],
    ['a dependency with a scheme', (r) => (r.verify = { dependencies: ['tcp://sql.internal'] }), ['verify.dependencies.0: must be host or host:port']],
    ['a dependency with a six-digit port', (r) => (r.verify = { dependencies: ['sql.internal:143300'] }), ['verify.dependencies.0: must be host or host:port']],
    ['a dependency with an empty port', (r) => (r.verify = { dependencies: ['sql.internal:'] }), ['verify.dependencies.0: must be host or host:port']],
    ['a dependency with a space before it', (r) => (r.verify = { dependencies: [' sql.internal'] }), ['verify.dependencies.0: must be host or host:port']],
    ['51 dependencies', (r) => (r.verify = { dependencies: Array.from({ length: 51 }, () => 'h') }), ['verify.dependencies: Too big: expected array to have <=50 items']],
  ])('refuses %s, naming the field', (_, change, issues) => {
    expect(issuesOf(change)).toEqual(issues);
  });
});

/**
 * ARM's rule for resource group names (Microsoft Learn, resource name rules, Microsoft.Resources/resourcegroups):
 * 1-90 characters; letters and digits (Unicode ones too, as .NET's Char.IsLetterOrDigit counts them), '_', '(',
 * ')', '-', '.'; not ending in '.'.
 */
describe('resource group names', () => {
  const groupIssues = (name: string): string[] => issuesOf((r) => (r.scope.resourceGroups = [name]));

  it.each([
    ['German letters', 'Produktion-Zürich'],
    ['Japanese letters', '東京-本番'],
    ['Cyrillic letters', 'Продакшн'],
    ['Arabic-Indic digits', 'rg-١٢٣'],
    ['letters only', 'ß'],
    ['a single digit', '7'],
    ['ending in a parenthesis', 'rg(prod)'],
    ['ending in a dash', 'rg-'],
    ['ending in an underscore', 'rg_'],
    ['starting with a dot', '.rg'],
    ['a period inside', 'rg.web'],
    ['90 accented letters', 'é'.repeat(90)],
  ])('accepts %s: %s', (_, name) => {
    expect(groupIssues(name)).toEqual([]);
  });

  it.each([
    ['ending in a period', 'Zürich.'],
    ['only a period', '.'],
    ['91 accented letters', 'é'.repeat(91)],
    ['empty', ''],
    ['a superscript digit (a number, not a digit)', 'rg²'],
    ['a Roman numeral (a number, not a digit)', 'rg-Ⅻ'],
    ['an emoji', 'rg-🚀'],
    ['a space', 'rg prod'],
    ['a non-breaking space', 'rg\u00a0prod'],
    ['a slash', 'rg/prod'],
    ['a hash', 'rg#1'],
    ['a plus', 'rg+1'],
    ['a comma', 'rg,1'],
  ])('refuses %s: %j', (_, name) => {
    expect(groupIssues(name)).toEqual(['scope.resourceGroups.0: must be a resource group name']);
  });
});
