import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { type CodeSample, collectSamples, sampleFileName } from './support/samples.ts';

// Every ```ts block of every page is compiled against the workspace packages (their built
// types, as a user would import them), so a renamed export breaks this test, not a reader.
const docsRoot = fileURLToPath(new URL('..', import.meta.url));
const scratch = join(docsRoot, 'test-output', 'samples');
const canaryFile = '__canary__.ts';
const tscPath = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const samples = collectSamples(docsRoot);
const pages = [...new Set(samples.map((sample) => sample.page))];
const diagnosticsByFile = new Map<string, string[]>();

function runTsc(): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tscPath, '-p', join(scratch, 'tsconfig.json'), '--pretty', 'false'],
      { cwd: scratch, maxBuffer: 16 * 1024 * 1024 },
      (_error, stdout, stderr) => resolve(`${stdout}${stderr}`),
    );
  });
}

function describeSample(sample: CodeSample): string {
  return `${sample.page}:${sample.line}`;
}

before(async () => {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify(
      {
        extends: '../../../../tsconfig.base.json',
        // A sample may bind a value only to show it: unused names are not mistakes here.
        compilerOptions: {
          types: ['node'],
          noEmit: true,
          skipLibCheck: true,
          noUnusedLocals: false,
          noUnusedParameters: false,
        },
        include: ['*.ts'],
      },
      null,
      2,
    ),
  );
  for (const sample of samples)
    writeFileSync(join(scratch, sampleFileName(sample)), `${sample.code}\n`);
  // Proves the harness reports errors at all: this file must fail to compile.
  writeFileSync(join(scratch, canaryFile), "export const wrong: number = 'not a number';\n");
  writeFileSync(
    join(scratch, 'globals.d.ts'),
    readFileSync(join(docsRoot, 'test', 'support', 'sample-globals.d.ts')),
  );

  const output = await runTsc();
  for (const line of output.split('\n')) {
    const match = /^([^(\s]+\.ts)\((\d+),(\d+)\): (error .*)$/.exec(line.trim());
    if (!match) continue;
    const file = (match[1] ?? '').split(/[\\/]/).at(-1) ?? '';
    const sample = samples.find((candidate) => sampleFileName(candidate) === file);
    const where = sample
      ? `${sample.page}:${sample.line + Number(match[2]) - 1}:${match[3]}`
      : `${file}:${match[2]}:${match[3]}`;
    const list = diagnosticsByFile.get(file) ?? [];
    list.push(`${where} ${match[4]}`);
    diagnosticsByFile.set(file, list);
  }
  if (!output.includes(canaryFile)) {
    // Neither the canary nor anything else reported: show what tsc said.
    diagnosticsByFile.set('__tsc__', [output.trim()]);
  }
});

describe('code samples in the docs type-check against the packages', () => {
  test('the pages contain TypeScript samples', () => {
    assert.ok(samples.length >= 10, `only ${samples.length} samples found`);
  });

  test('the checker reports a broken sample', () => {
    assert.ok(
      (diagnosticsByFile.get(canaryFile) ?? []).some((line) => line.includes('TS2322')),
      `tsc did not flag the canary: ${(diagnosticsByFile.get('__tsc__') ?? []).join('\n')}`,
    );
  });

  for (const page of pages) {
    test(page, () => {
      const pageSamples = samples.filter((sample) => sample.page === page);
      const problems = pageSamples.flatMap(
        (sample) => diagnosticsByFile.get(sampleFileName(sample)) ?? [],
      );
      assert.deepEqual(problems, [], `samples at ${pageSamples.map(describeSample).join(', ')}`);
    });
  }

  test('tsc reported nothing outside the samples', () => {
    const known = new Set([canaryFile, ...samples.map(sampleFileName)]);
    const stray = [...diagnosticsByFile]
      .filter(([file]) => !known.has(file))
      .flatMap(([, list]) => list);
    assert.deepEqual(stray, []);
  });
});

describe('getting started matches the README', () => {
  for (const command of ['pnpm install && pnpm start', 'pnpm install && pnpm test']) {
    test(`both give "${command}"`, () => {
      const readme = readFileSync(join(docsRoot, '..', '..', 'README.md'), 'utf8');
      const page = readFileSync(join(docsRoot, 'guide', 'getting-started.md'), 'utf8');
      assert.ok(readme.includes(command), `README.md lacks "${command}"`);
      assert.ok(page.includes(command), `guide/getting-started.md lacks "${command}"`);
    });
  }
});
