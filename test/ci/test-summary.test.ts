/**
 * The CI summary (scripts/test-summary.mjs) cannot pass by accident. Each case runs real vitest on a small project
 * written to a temporary folder, then the summary script on its real JSON report and exit code, exactly as .ci/run
 * does, and checks the closing line and the exit code.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const vitestBin = path.join(repo, 'node_modules/vitest/vitest.mjs');
const summaryScript = path.join(repo, 'scripts/test-summary.mjs');
// .local exists only once vitest has written a report: a fresh clone does not have it yet.
mkdirSync(path.join(repo, '.local'), { recursive: true });
const scratch = mkdtempSync(path.join(repo, '.local', 'ci-summary-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Policy {
  readonly minimumTests?: number;
  readonly allowedSkips?: readonly { readonly file: string; readonly test: string; readonly reason?: string }[];
}

interface Outcome {
  readonly exitCode: number;
  readonly lines: readonly string[];
  readonly last: string;
}

let projectCount = 0;

/** Writes a project (test files under test/), runs vitest on it, and returns its folder, report path and exit code. */
async function vitestProject(files: Record<string, string>): Promise<{ root: string; report: string; vitestExit: number }> {
  const root = path.join(scratch, `p${++projectCount}`);
  mkdirSync(path.join(root, 'test'), { recursive: true });
  writeFileSync(path.join(root, 'vitest.config.mjs'), "export default { test: { include: ['test/**/*.test.mjs'], pool: 'threads' } };\n");
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, 'test', name), text);
  const report = path.join(root, 'report.json');
  // --allowOnly: vitest itself refuses `.only` when it sees CI=true (as .ci/run sets), which would make these
  // projects' outcomes depend on where the suite runs; the summary script is what must catch a focused test.
  const args = [vitestBin, 'run', '--root', root, '--config', path.join(root, 'vitest.config.mjs'), '--allowOnly', '--reporter=json', `--outputFile=${report}`];
  const vitestExit = await run(process.execPath, args, { cwd: root }).then(
    () => 0,
    (error: { code?: unknown }) => (typeof error.code === 'number' ? error.code : 1),
  );
  return { root, report, vitestExit };
}

/** Runs the summary script as .ci/run does, with `policy` as the project's .ci/test-policy.json. */
async function summarize(project: { root: string; report: string; vitestExit: number }, policy: Policy = {}): Promise<Outcome> {
  mkdirSync(path.join(project.root, '.ci'), { recursive: true });
  writeFileSync(path.join(project.root, '.ci', 'test-policy.json'), JSON.stringify(policy));
  const args = [summaryScript, project.report, String(project.vitestExit), '--root', project.root];
  const { exitCode, stdout } = await run(process.execPath, args, { cwd: project.root }).then(
    ({ stdout }) => ({ exitCode: 0, stdout }),
    (error: { code?: unknown; stdout?: string }) => ({ exitCode: typeof error.code === 'number' ? error.code : -1, stdout: error.stdout ?? '' }),
  );
  const lines = stdout.trim().split('\n');
  return { exitCode, lines, last: lines.at(-1) ?? '' };
}

/** Spelled apart so this file does not itself hold a focused test for the CI scan to find. */
const only = 'only';

const twoPassing = `import { it, expect } from 'vitest';
it('adds', () => { expect(1 + 1).toBe(2); });
it('concatenates', () => { expect('a' + 'b').toBe('ab'); });
`;

describe('CI summary', () => {
  it('passes a clean run and says so in a plain closing line', async () => {
    const outcome = await summarize(await vitestProject({ 'a.test.mjs': twoPassing }), { minimumTests: 2 });
    expect(outcome.last).toBe('2 passed, 0 failed');
    expect(outcome.exitCode).toBe(0);
  });

  it('fails a run where every test is skipped', async () => {
    const project = await vitestProject({
      'a.test.mjs': `import { it } from 'vitest';
it.skip('one', () => {});
it.skip('two', () => {});
`,
    });
    expect(project.vitestExit).toBe(0);
    const outcome = await summarize(project);
    expect(outcome.last).toBe('0 passed, 2 failed');
    expect(outcome.exitCode).not.toBe(0);
    expect(outcome.lines.join('\n')).toContain('skipped test not in the allow-list (.ci/test-policy.json): test/a.test.mjs > one');
  });

  it('fails a todo test and a test skipped at run time', async () => {
    const project = await vitestProject({
      'a.test.mjs': `import { it } from 'vitest';
it.todo('write me');
it('skips itself', (ctx) => { ctx.skip(); });
it('runs', () => {});
`,
    });
    const outcome = await summarize(project);
    expect(outcome.last).toBe('1 passed, 2 failed');
    expect(outcome.exitCode).not.toBe(0);
  });

  it('accepts a skip only when the allow-list names it with a reason', async () => {
    const project = await vitestProject({
      'a.test.mjs': `import { describe, it } from 'vitest';
describe('windows', () => { it.skip('long paths', () => {}); });
it('runs', () => {});
`,
    });
    const entry = { file: 'test/a.test.mjs', test: 'windows long paths' };
    const withReason = await summarize(project, { allowedSkips: [{ ...entry, reason: 'needs a Windows runner' }] });
    expect(withReason.last).toBe('1 passed, 0 failed');
    expect(withReason.exitCode).toBe(0);
    expect(withReason.lines.join('\n')).toContain('needs a Windows runner');

    const withoutReason = await summarize(project, { allowedSkips: [{ ...entry, reason: ' ' }] });
    expect(withoutReason.last).toMatch(/^1 passed, [1-9]\d* failed$/);
    expect(withoutReason.exitCode).not.toBe(0);
  });

  it('fails a committed focused test (it + only), even when it is the only test in its file', async () => {
    const project = await vitestProject({
      'a.test.mjs': `import { it } from 'vitest';
it.${only}('focused', () => {});
`,
      'b.test.mjs': twoPassing,
    });
    const outcome = await summarize(project);
    expect(outcome.last).toMatch(/^\d+ passed, [1-9]\d* failed$/);
    expect(outcome.exitCode).not.toBe(0);
    expect(outcome.lines.join('\n')).toContain(`test/a.test.mjs:2: it.${only}('focused'`);
  });

  it('fails a focused suite written with another modifier first', async () => {
    const project = await vitestProject({
      'a.test.mjs': `import { describe, it } from 'vitest';
describe.concurrent.${only}('focused suite', () => { it('runs', () => {}); });
`,
    });
    const outcome = await summarize(project);
    expect(outcome.last).toBe('1 passed, 1 failed');
  });

  it('says failed when vitest exits non-zero although every test passed (an unhandled rejection)', async () => {
    const project = await vitestProject({
      'a.test.mjs': `import { it } from 'vitest';
it('passes but leaves a rejection behind', () => { void Promise.reject(new Error('nobody waits for me')); });
`,
    });
    expect(project.vitestExit).not.toBe(0);
    const report = JSON.parse(readFileSync(project.report, 'utf8')) as { numPassedTests: number; numFailedTests: number };
    expect([report.numPassedTests, report.numFailedTests]).toEqual([1, 0]);
    const outcome = await summarize(project);
    expect(outcome.last).toBe('1 passed, 1 failed');
    expect(outcome.exitCode).toBe(project.vitestExit);
  });

  it('fails when fewer tests ran than the floor', async () => {
    const project = await vitestProject({ 'a.test.mjs': twoPassing });
    const outcome = await summarize(project, { minimumTests: 3 });
    expect(outcome.last).toBe('2 passed, 1 failed');
    expect(outcome.exitCode).not.toBe(0);
    expect(outcome.lines.join('\n')).toContain('only 2 tests ran, fewer than the floor of 3');
  });

  it('counts a file whose hook threw once, not again for each test it skipped', async () => {
    const project = await vitestProject({
      'a.test.mjs': `import { beforeAll, it } from 'vitest';
beforeAll(() => { throw new Error('dist/ is older than src/'); });
it('one', () => {});
it('two', () => {});
`,
      'b.test.mjs': twoPassing,
    });
    const outcome = await summarize(project);
    expect(outcome.last).toBe('2 passed, 1 failed');
    expect(outcome.lines.join('\n')).toContain('test file failed without a failed test: test/a.test.mjs');
  });

  it('fails when the report is missing, whatever the exit code', async () => {
    const project = { root: path.join(scratch, 'none'), report: path.join(scratch, 'none', 'report.json'), vitestExit: 0 };
    const outcome = await summarize(project);
    expect(outcome.last).toBe('0 passed, 1 failed');
    expect(outcome.exitCode).not.toBe(0);
  });
});

describe("the repository's test policy", () => {
  it('keeps a floor and gives a reason for every allowed skip', () => {
    const policy = JSON.parse(readFileSync(path.join(repo, '.ci/test-policy.json'), 'utf8')) as Required<Policy>;
    expect(policy.minimumTests).toBeGreaterThan(0);
    for (const entry of policy.allowedSkips) expect(entry.reason?.trim(), `${entry.file} > ${entry.test}`).toBeTruthy();
  });
});
