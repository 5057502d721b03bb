/**
 * The operator CLI end to end: the compiled CLI, output piped, against the whole product (local host, Azurite, the
 * ARM simulator with the demo fleet) with a function key configured. Proves the commands' output and exit codes,
 * and that `status --watch` follows a running demo migration to its end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { freePort } from '@vnet-migrator/functions-localhost/azurite.js';
import { requireFreshBuild } from '../support/compiled.js';
import { startEngineWorld, type EngineWorld } from '../e2e/engine-harness.js';
import { runCli } from './run-cli.js';

beforeAll(requireFreshBuild);

const KEY = 'cli-test-key';
const SUBSCRIPTIONS = Object.values(DEMO_SUBSCRIPTIONS).join(',');
const COMMANDS = ['discover', 'plan', 'start', 'status', 'apps', 'pause', 'resume', 'cancel', 'report', 'list', 'history'];

describe('vnet-migrator without a service', () => {
  it('answers --help for itself and every command with exit 0, listing the exit codes', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Exit codes:');
    for (const command of COMMANDS) expect(top.stdout, command).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    const runs = await Promise.all(COMMANDS.map((command) => runCli([command, '--help'])));
    runs.forEach((run, i) => {
      expect(run.code, COMMANDS[i]).toBe(0);
      expect(run.stdout, COMMANDS[i]).toContain(`Usage: vnet-migrator ${COMMANDS[i]}`);
    });
  });

  it('exits 2 on a bad command line, before calling anything', async () => {
    const noScope = await runCli(['discover'], { MIGRATOR_API_URL: 'http://127.0.0.1:9/api' });
    expect(noScope.code).toBe(2);
    expect(noScope.stderr).toContain('--subscription');
    const badId = await runCli(['discover', '-s', 'not-a-guid'], { MIGRATOR_API_URL: 'http://127.0.0.1:9/api' });
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('scope.subscriptionIds.0: must be a subscription GUID');
    expect((await runCli(['apps', '--status', 'exploded'])).code).toBe(2);
    expect((await runCli(['no-such-command'])).code).toBe(2);
  });

  it('exits 3 when nothing listens at the API URL, naming the URL and how to set it', async () => {
    const url = `http://127.0.0.1:${await freePort()}/api`;
    const run = await runCli(['status', '--api-url', url]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(url);
    expect(run.stderr).toContain('MIGRATOR_API_URL');
  });
});

describe('vnet-migrator against the demo fleet', () => {
  let world: EngineWorld;
  let env: Record<string, string>;

  beforeAll(async () => {
    world = await startEngineWorld({ env: { FUNCTIONS_KEY: KEY } });
    env = { MIGRATOR_API_URL: world.host.apiUrl, MIGRATOR_API_KEY: KEY };
  }, 120_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('exits 4 without the function key, and works with --key instead of the environment', async () => {
    const without = await runCli(['list'], { MIGRATOR_API_URL: world.host.apiUrl });
    expect(without.code).toBe(4);
    expect(without.stderr).toContain('--key');
    const withFlag = await runCli(['list', '--key', KEY, '--json'], { MIGRATOR_API_URL: world.host.apiUrl });
    expect(withFlag.code).toBe(0);
    expect(JSON.parse(withFlag.stdout)).toEqual([]);
  });

  it('discover prints the inventory of the scope and what the plan would do with each app', async () => {
    const text = await runCli(['discover', '-s', SUBSCRIPTIONS], env);
    expect(text.code, text.stderr).toBe(0);
    const json = await runCli(['discover', '-s', SUBSCRIPTIONS, '--json'], env);
    const view = JSON.parse(json.stdout) as { discovered: { apps: number }; plan: { summary: { migrate: number; skip: number; blocked: number } } };
    const { migrate, skip, blocked } = view.plan.summary;
    expect(migrate + skip + blocked).toBe(view.discovered.apps);
    expect(text.stdout).toContain(`Discovered in 3 subscriptions: ${view.discovered.apps} apps`);
    expect(text.stdout).toContain(`Plan: ${migrate} to migrate`);
    // One row per app, with its decision.
    const rows = text.stdout.split('\n').filter((l) => /^\S+ +\S+ +\S+ +(migrate|skip|blocked) {2,}\S/.test(l));
    expect(rows).toHaveLength(view.discovered.apps);
    expect(text.stdout).toMatch(/^GATEWAY +LOCATION/m);
  });

  it('plan prints each plan group with its subnet and apps', async () => {
    const run = await runCli(['plan', '-s', SUBSCRIPTIONS, '--health-path', '/health'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^1\. plan-[\w-]+ \(\w+, \w+\): \d+ app\(s\)$/m);
    expect(run.stdout).toMatch(/^ {3}subnet (create|reuse) /m);
    expect(run.stdout).toMatch(/snapshot > .*connect-regional > verify/);
    expect(run.stdout).toContain('Left out:');
  });

  it('start, then status --watch follows the running migration to Completed (plain lines when piped, exit 0)', async () => {
    const started = await runCli(['start', '-s', SUBSCRIPTIONS, '--health-path', '/health', '--verify-timeout', '60', '--json'], env);
    expect(started.code, started.stderr).toBe(0);
    const { id } = JSON.parse(started.stdout) as { id: string };

    const watch = await runCli(['status', id, '--watch', '--interval', '0.2'], env);
    expect(watch.code, watch.stderr + watch.stdout).toBe(0);
    const statusLines = watch.timedLines.filter((l) => / (Pending|Running|Completed): /.test(l.line));
    // It was watched while running: it printed progress before the end, and the counts moved.
    expect(statusLines[0]?.line).toMatch(/ (Pending|Running): /);
    expect(statusLines.at(-1)?.line).toMatch(/ Completed: \d+ succeeded, 0 failed, 0 rolled back/);
    expect(new Set(statusLines.map((l) => l.line.replace(/^\S+ /, ''))).size).toBeGreaterThan(2);
    // No terminal control codes when piped; one line per finished plan group.
    expect(watch.stdout).not.toContain('\x1b[');
    const groupsDone = watch.timedLines.filter((l) => / group [\w-]+ done: /.test(l.line));
    const migration = (await world.api<{ plan: { groups: number } }>('GET', `/migrations/${id}`, undefined, { 'x-functions-key': KEY })).body;
    expect(groupsDone.length).toBeGreaterThanOrEqual(migration.plan.groups);

    // The finished migration, as the other commands show it.
    const failed = await runCli(['apps', id, '--status', 'failed'], env);
    expect(failed.code).toBe(0);
    expect(failed.stdout).toContain('No apps with status failed');
    const succeeded = JSON.parse((await runCli(['apps', '--status', 'succeeded', '--json'], env)).stdout) as { outcome: string }[];
    expect(succeeded.length).toBeGreaterThan(40);
    expect(succeeded.every((a) => a.outcome === 'succeeded')).toBe(true);

    const csv = await runCli(['report', id, '--format', 'csv'], env);
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe('app,plan,outcome,phase,downtime_seconds,subnet,started,finished,reason,needs_attention,message');
    expect(rows.filter((r) => r.includes(',succeeded,done,'))).toHaveLength(succeeded.length);
    const report = JSON.parse((await runCli(['report', '--format', 'json'], env)).stdout) as { migration: { id: string }; apps: unknown[] };
    expect(report.migration.id).toBe(id);
    const table = await runCli(['report', id], env);
    expect(table.stdout).toMatch(/^Downtime per migrated app: max \d+\.\d s/m);

    // A completed migration cannot be paused (409 → 6); an unknown one is not found (404 → 5).
    const pause = await runCli(['pause', id], env);
    expect(pause.code).toBe(6);
    expect(pause.stderr).toContain('Completed');
    expect((await runCli(['status', '00000000-0000-4000-8000-000000000000'], env)).code).toBe(5);
  }, 240_000);
});
