/**
 * The README is the newcomer's path from `npm start` to a migrated demo fleet: it must show the banner's real
 * subscription ids, drive the demo with the CLI's real commands, and list every exit code the CLI has.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { SUBSCRIPTIONS_LINE_PREFIX } from '@vnet-migrator/functions-localhost/supervisor-protocol.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const ids = Object.values(DEMO_SUBSCRIPTIONS);

describe('README', () => {
  it("shows the banner's subscription line with the demo's ids, as npm start prints it", () => {
    expect(readme).toContain(`${SUBSCRIPTIONS_LINE_PREFIX}${ids.join(' ')}\n`);
  });

  it('migrates the demo fleet in three CLI commands scoped to those ids', () => {
    const section = readme.slice(readme.indexOf('### Migrate the demo fleet'), readme.indexOf('## Operator CLI'));
    const commands = section.split('\n').filter((l) => l.startsWith('npm run cli -- '));
    expect(commands.map((c) => c.split(' ')[4])).toEqual(['discover', 'start', 'status']);
    for (const command of commands.slice(0, 2)) expect(command).toContain(`-s ${ids.join(',')}`);
    expect(commands[2]).toBe('npm run cli -- status --watch');
  });

  it('explains every exit code the CLI uses, and no other', () => {
    const rows = [...readme.matchAll(/^\| (\d+) \| /gm)].map((m) => Number(m[1]));
    expect(rows.sort((a, b) => a - b)).toEqual(Object.values(EXIT).sort((a, b) => a - b));
  });
});
