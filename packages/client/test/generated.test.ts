// The committed src/generated must be exactly what scripts/generate.mjs makes from the specs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'qk-client-gen-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

it('src/generated is up to date with the specs and the generator', () => {
  execFileSync(process.execPath, [join(root, 'scripts/generate.mjs'), '--out', out], {
    stdio: 'pipe',
  });
  const committed = join(root, 'src/generated');
  expect(files(out).sort()).toEqual(files(committed).sort());
  for (const file of files(out)) {
    expect(readFileSync(join(committed, file), 'utf8'), file).toBe(
      readFileSync(join(out, file), 'utf8'),
    );
  }
});
