// Reads vitest's JSON report and prints the plain "N passed, N failed" line CI reads.
// Exits with the test command's exit code, or 1 when the report is missing while tests claimed success.
import { existsSync, readFileSync } from 'node:fs';

const [reportPath, rcText = '0'] = process.argv.slice(2);
const rc = Number(rcText);
if (!reportPath || !existsSync(reportPath)) {
  console.log(`0 passed, ${rc === 0 ? 1 : rc} failed`);
  process.exit(rc === 0 ? 1 : rc);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const passed = report.numPassedTests ?? 0;
// Failed tests, plus test files that failed without a failed test (they could not load or a hook threw).
// vitest's numFailedTestSuites also counts describe blocks, so it cannot be used for the latter.
const brokenFiles = (report.testResults ?? []).filter(
  (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((a) => a.status === 'failed'),
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(rc !== 0 ? rc : failed > 0 ? 1 : 0);
