import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The stand-ins stay out of production code, and stay independent checks: the lint configuration enforces it, and
 * this test keeps the configuration honest (a boundary silently dropped from eslint.config.js fails here).
 */
const eslint = new ESLint({
  cwd: process.cwd(),
  // Only the boundary rule runs, without type information, so hypothetical files need not exist on disk.
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

const determinismLint = new ESLint({
  cwd: process.cwd(),
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-globals' || ruleId === 'no-restricted-properties',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

async function restrictedImportMessages(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['src/functions/x.ts', "import { startSimulator } from '@vnet-migrator/arm-simulator/index.js';", /never imports the ARM simulator/],
    ['src/functions/x.ts', "import { startSimulator } from '../../tools/arm-simulator/src/index.js';", /never imports the ARM simulator/],
    ['src/azure/x.ts', "import { startLocalHost } from '@vnet-migrator/functions-localhost/host.js';", /never imports the local host/],
    ['src/azure/x.ts', "import { startLocalHost } from '../../tools/functions-localhost/dist/host.js';", /never imports the local host/],
    ['src/cli/x.ts', "import '@vnet-migrator/dev/start.js';", /never imports the development tooling/],
    ['tools/arm-simulator/src/x.ts', "import { parseCidr } from '../../../src/domain/cidr.js';", /independent check/],
    ['tools/arm-simulator/src/web/x.ts', "import { parseCidr } from 'appservice-vnet-migrator/dist/src/domain/cidr.js';", /independent check/],
    ['tools/arm-simulator/src/x.ts', "import { startLocalHost } from '@vnet-migrator/functions-localhost/host.js';", /does not depend on the local host/],
    ['tools/functions-localhost/src/durable/x.ts', "import { parseCidr } from '../../../../src/domain/cidr.js';", /knows nothing of migrations/],
    ['tools/functions-localhost/src/x.ts', "import { startSimulator } from '../../arm-simulator/src/index.js';", /imports no other package by path/],
    ['tools/functions-localhost/src/x.ts', "import { startSimulator } from '@vnet-migrator/arm-simulator/index.js';", /does not depend on the ARM simulator/],
    ['tools/dev/src/x.ts', "import { app } from '../../../src/functions/engine.js';", /never imports it/],
  ])('%s may not %s', async (filePath, source, message) => {
    const messages = await restrictedImportMessages(filePath, `${source}\nexport const used = 1;\n`);
    expect(messages).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ["import { readFileSync } from 'node:fs';", /no Node built-ins/],
    ["import { WebSiteManagementClient } from '@azure/arm-appservice';", /no Azure SDK/],
    ["import { createArmClients } from '../azure/arm-clients.js';", /through activities only/],
    ["import { openStateTables } from '../state/state-tables.js';", /through activities only/],
  ])('an orchestration may not %s', async (source, message) => {
    const messages = await restrictedImportMessages('src/orchestrations/x.ts', `${source}\nexport const used = 1;\n`);
    expect(messages).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ['export const now = Date.now();', 'no-restricted-globals'],
    ['export const later = setTimeout(() => undefined, 1);', 'no-restricted-globals'],
    ["export const env = process.env['X'];", 'no-restricted-globals'],
    ['export const dice = Math.random();', 'no-restricted-properties'],
  ])('an orchestration may not use the clock, timers, the environment or randomness: %s', async (source, rule) => {
    const [result] = await determinismLint.lintText(source, { filePath: 'src/orchestrations/x.ts' });
    expect((result?.messages ?? []).map((m) => m.ruleId)).toContain(rule);
  });

  it('allows what each part legitimately uses', async () => {
    expect(await restrictedImportMessages('src/functions/x.ts', "import { parseCidr } from '../domain/cidr.js';\nexport const used = parseCidr;\n")).toEqual([]);
    expect(await restrictedImportMessages('tools/functions-localhost/src/x.ts', "import { startAzurite } from './azurite.js';\nexport const used = startAzurite;\n")).toEqual([]);
    expect(await restrictedImportMessages('tools/arm-simulator/src/web/x.ts', "import { parseCidr } from '../network/cidr.js';\nexport const used = parseCidr;\n")).toEqual([]);
    expect(await restrictedImportMessages('tools/dev/src/x.ts', "import { startSimulator } from '@vnet-migrator/arm-simulator/index.js';\nimport { startAzurite } from '@vnet-migrator/functions-localhost/azurite.js';\nexport const used = [startSimulator, startAzurite];\n")).toEqual([]);
    expect(await restrictedImportMessages('src/orchestrations/x.ts', "import * as df from 'durable-functions';\nimport { parseCidr } from '../domain/cidr.js';\nexport const used = [df, parseCidr];\n")).toEqual([]);
  });
});
