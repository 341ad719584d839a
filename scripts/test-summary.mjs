// Adds up the test reports the packages wrote (test-output/vitest.json or junit.xml) and prints
// one closing line in the plain form 'tests: N passed, N failed'.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2] ?? process.cwd();

// vitest's JSON report, or node:test's JUnit report (the docs app).
function readReport(dir) {
  const vitest = join(dir, 'vitest.json');
  if (existsSync(vitest)) {
    const json = JSON.parse(readFileSync(vitest, 'utf8'));
    return {
      passed: json.numPassedTests ?? 0,
      failed: json.numFailedTests ?? 0,
      skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
    };
  }
  const junit = join(dir, 'junit.xml');
  if (existsSync(junit)) {
    const cases = readFileSync(junit, 'utf8').split('<testcase ').slice(1);
    const failed = cases.filter((c) => /<failure/.test(c.split('</testcase>')[0])).length;
    const skipped = cases.filter((c) => /<skipped/.test(c.split('</testcase>')[0])).length;
    return { passed: cases.length - failed - skipped, failed, skipped };
  }
  return undefined;
}
let passed = 0;
let failed = 0;
let skipped = 0;
// Workspace folders holding packages, then packages that are a folder of the root (spec/).
const places = [];
for (const group of ['packages', 'apps', 'tooling']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) places.push(`${group}/${name}`);
}
places.push('spec');
for (const place of places) {
  const counts = readReport(join(root, place, 'test-output'));
  if (!counts) continue;
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
  console.log(`${place}: ${counts.passed} passed, ${counts.failed} failed`);
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
// CI must not pass on tests that did not run.
if (failed > 0 || (process.env.CI && skipped > 0)) process.exit(1);
