// Reads vitest's JSON report and prints the plain "N passed, N failed" line CI reads, as its last line.
//
//   node scripts/test-summary.mjs <report.json> <vitest exit code> [--root <dir>]
//
// The run cannot pass by accident. Each of these counts as a failure in the closing line, with the reason printed
// above it, and makes the script exit non-zero:
// - a failed test, or a test file that failed without a failed test (it could not load, or a hook threw);
// - a skipped or todo test (`.skip`, `.todo`, `skipIf`, `ctx.skip()`) not in the allow-list, with its reason,
//   in <root>/.ci/test-policy.json;
// - a focused test or suite (`.only`) anywhere under <root>/test;
// - fewer tests ran than the floor (`minimumTests`) in <root>/.ci/test-policy.json;
// - vitest exiting non-zero while no test failed (an unhandled error or rejection, a timeout while closing);
// - a missing or unreadable report.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** `.only` on a test or suite, also after other modifiers (`describe.concurrent.only`, `it.each(...)` is not it). */
const FOCUS = /\b(?:it|test|describe|suite)(?:\.(?:concurrent|sequential|shuffle|fails|skipIf\([^)]*\)|runIf\([^)]*\)))*\.only\b/;
const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** Reads <root>/.ci/test-policy.json: `minimumTests` and `allowedSkips` [{ file, test, reason }]. */
export function readPolicy(root) {
  const file = path.join(root, '.ci', 'test-policy.json');
  if (!existsSync(file)) return { minimumTests: 0, allowedSkips: [] };
  const policy = JSON.parse(readFileSync(file, 'utf8'));
  return { minimumTests: Number(policy.minimumTests ?? 0), allowedSkips: Array.isArray(policy.allowedSkips) ? policy.allowedSkips : [] };
}

/** Every `.only` in the test sources under <root>/test and <root>/tools/<package>/test (fixtures included: a focused fixture test is a mistake too). */
export function findFocused(root) {
  const tools = path.join(root, 'tools');
  const testRoots = [path.join(root, 'test'), ...(existsSync(tools) ? readdirSync(tools).map((name) => path.join(tools, name, 'test')) : [])];
  const found = [];
  for (const testRoot of testRoots.filter((folder) => existsSync(folder))) {
    for (const entry of readdirSync(testRoot, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !SOURCE_FILE.test(entry.name)) continue;
      const file = path.join(entry.parentPath ?? entry.path, entry.name);
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (FOCUS.test(line)) found.push(`${path.relative(root, file)}:${index + 1}: ${line.trim()}`);
        });
    }
  }
  return found.sort();
}

/**
 * Decides the outcome of a test run. `report` is vitest's JSON report (undefined when missing), `exitCode` vitest's.
 * Returns the closing line, the reasons for each extra failure, notes, and the exit code for CI.
 */
export function summarize({ report, exitCode, policy, focused, root }) {
  const problems = [];
  const notes = [];
  if (report === undefined) {
    problems.push(`no vitest report: the test command exited with ${exitCode} before vitest wrote one (a failed build?)`);
    return finish(0, 0, problems, notes, exitCode);
  }
  const files = report.testResults ?? [];
  const tests = files.flatMap((file) =>
    (file.assertionResults ?? []).map((a) => ({ ...a, fileName: file.name, file: path.relative(root, file.name ?? '').split(path.sep).join('/') })),
  );
  const passed = tests.filter((t) => t.status === 'passed').length;
  const failedTests = tests.filter((t) => t.status === 'failed').length;
  // Files that failed without a failed test: they could not load, or a hook threw. (vitest's numFailedTestSuites
  // also counts describe blocks, so it cannot be used for this.)
  const brokenFiles = files.filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'));
  for (const f of brokenFiles) problems.push(`test file failed without a failed test: ${path.relative(root, f.name ?? '')}: ${f.message ?? ''}`);

  // Tests of a file that failed to load or whose hook threw show as skipped; the file already counts as a failure.
  const brokenNames = new Set(brokenFiles.map((f) => f.name));
  const skipped = tests.filter((t) => !['passed', 'failed'].includes(t.status) && !brokenNames.has(t.fileName));
  const allowed = policy.allowedSkips.filter((a) => typeof a.reason === 'string' && a.reason.trim() !== '');
  for (const entry of policy.allowedSkips) {
    if (!allowed.includes(entry)) problems.push(`allow-list entry without a reason: ${entry.file} > ${entry.test}`);
  }
  for (const t of skipped) {
    const entry = allowed.find((a) => a.file === t.file && a.test === t.fullName);
    if (entry === undefined) problems.push(`${t.status} test not in the allow-list (.ci/test-policy.json): ${t.file} > ${t.fullName}`);
    else notes.push(`${t.status} (allowed: ${entry.reason}): ${t.file} > ${t.fullName}`);
  }
  for (const line of focused) problems.push(`focused test or suite (.only): ${line}`);

  const ran = passed + failedTests;
  if (ran < policy.minimumTests) {
    problems.push(`only ${ran} tests ran, fewer than the floor of ${policy.minimumTests} in .ci/test-policy.json (a file stopped being collected?)`);
  }
  if (exitCode !== 0 && failedTests + problems.length === 0) {
    problems.push(`vitest exited with ${exitCode} although no test failed: an unhandled error or rejection, or a failure while closing (see its output above)`);
  }
  if (exitCode === 0 && report.success === false && failedTests + problems.length === 0) {
    problems.push('vitest reported the run as unsuccessful although no test failed');
  }
  return finish(passed, failedTests, problems, notes, exitCode);
}

function finish(passed, failedTests, problems, notes, exitCode) {
  const failed = failedTests + problems.length;
  return {
    line: `${passed} passed, ${failed} failed`,
    problems,
    notes,
    exitCode: failed === 0 ? 0 : exitCode !== 0 ? exitCode : 1,
  };
}

function main(argv) {
  const positional = [];
  let root = process.cwd();
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root') root = path.resolve(argv[++i] ?? '.');
    else positional.push(argv[i]);
  }
  const [reportPath, exitText = '0'] = positional;
  const exitCode = Number.isInteger(Number(exitText)) ? Number(exitText) : 1;
  let report;
  if (reportPath !== undefined && existsSync(reportPath)) {
    try {
      report = JSON.parse(readFileSync(reportPath, 'utf8'));
    } catch (error) {
      console.log(`unreadable vitest report ${reportPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const result = summarize({ report, exitCode, policy: readPolicy(root), focused: findFocused(root), root });
  for (const note of result.notes) console.log(`note: ${note}`);
  for (const problem of result.problems) console.log(`FAILED: ${problem}`);
  console.log(result.line);
  process.exit(result.exitCode);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main(process.argv.slice(2));
