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

async function restrictedImportMessages(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['src/functions/x.ts', "import { startSimulator } from '../simulator/index.js';", /never imports the ARM simulator/],
    ['src/azure/x.ts', "import { startLocalHost } from '../localhost/host.js';", /never imports the local host/],
    ['src/simulator/x.ts', "import { parseCidr } from '../domain/cidr.js';", /independent check/],
    ['src/localhost/x.ts', "import { parseCidr } from '../domain/cidr.js';", /knows nothing of migrations/],
  ])('%s may not %s', async (filePath, source, message) => {
    const messages = await restrictedImportMessages(filePath, `${source}\nexport const used = 1;\n`);
    expect(messages).toEqual([expect.stringMatching(message)]);
  });

  it('allows what each part legitimately uses', async () => {
    expect(await restrictedImportMessages('src/functions/x.ts', "import { parseCidr } from '../domain/cidr.js';\nexport const used = parseCidr;\n")).toEqual([]);
    expect(await restrictedImportMessages('src/localhost/x.ts', "import { startAzurite } from './azurite.js';\nexport const used = startAzurite;\n")).toEqual([]);
  });
});
