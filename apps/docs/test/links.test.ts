import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type CheckOptions, check, type LinkResult, LinkState } from 'linkinator';

// Every link and #anchor of the built site and of the repository's READMEs leads somewhere.
// linkinator serves the files on loopback and crawls them; links off the machine are not
// followed (no network in tests), only local pages, files and fragments.
const docsRoot = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(docsRoot, '..', '..');
const siteDir = join(docsRoot, 'dist');

/** Links with a scheme that is not loopback http(s): mailto:, https://github.com/... */
async function offMachine(link: string): Promise<boolean> {
  return (
    /^[a-z][a-z0-9+.-]*:/i.test(link) && !/^https?:\/\/(localhost|127\.0\.0\.1)[:/]/.test(link)
  );
}

const common: Partial<CheckOptions> = {
  checkFragments: true,
  linksToSkip: offMachine,
  concurrency: 8,
  timeout: 20_000,
};

function describeBroken(links: readonly LinkResult[], root: string): string[] {
  const local = (url: string | undefined) =>
    (url ?? '').replace(/^https?:\/\/(localhost|127\.0\.0\.1):\d+\//, '/').replace(`${root}/`, '');
  return links
    .filter((link) => link.state === LinkState.BROKEN)
    .map((link) => {
      const why = (link.failureDetails ?? [])
        .map((detail) => (detail instanceof Error ? detail.message : `HTTP ${link.status}`))
        .join('; ');
      return `${local(link.url)} (in ${local(link.parent)}): ${why || `HTTP ${link.status}`}`;
    });
}

/** The READMEs a reader of the repository (or of an npm package page) meets. */
function readmes(): string[] {
  const found = ['README.md', 'BENCHMARKS.md', 'spec/README.md', '.changeset/README.md'];
  for (const group of ['packages', 'apps', 'tooling']) {
    for (const name of readdirSync(join(repoRoot, group))) {
      const readme = join(group, name, 'README.md');
      if (existsSync(join(repoRoot, readme))) found.push(readme);
    }
  }
  return found.filter((file) => existsSync(join(repoRoot, file)));
}

async function checkMarkdown(root: string, files: string[]) {
  // linkinator resolves the paths against the working directory.
  const previous = process.cwd();
  process.chdir(root);
  try {
    return await check({
      ...common,
      path: files,
      serverRoot: root,
      markdown: true,
      recurse: false,
      directoryListing: true,
    });
  } finally {
    process.chdir(previous);
  }
}

describe('links', () => {
  test('the checker finds a missing file and a missing anchor (canary)', async () => {
    const fixture = join(docsRoot, 'test-output', 'links-canary');
    rmSync(fixture, { recursive: true, force: true });
    mkdirSync(join(fixture, 'sub'), { recursive: true });
    writeFileSync(
      join(fixture, 'README.md'),
      '# Top\n\n[ok](sub/README.md#a-heading) [gone](missing.md) [no anchor](sub/README.md#nope) [self](#top)\n',
    );
    writeFileSync(join(fixture, 'sub', 'README.md'), '# Sub\n\n## A heading\n');
    const result = await checkMarkdown(fixture, ['README.md']);
    const broken = describeBroken(result.links, fixture).sort();
    assert.equal(broken.length, 2, broken.join('\n'));
    assert.match(broken[0] ?? '', /^missing\.md/);
    assert.match(broken[1] ?? '', /sub\/README\.md#nope/);
  });

  test('every link and anchor of the built site resolves', async () => {
    assert.ok(existsSync(join(siteDir, 'index.html')), `no built site in ${siteDir}`);
    const result = await check({
      ...common,
      path: siteDir,
      recurse: true,
      cleanUrls: true,
    });
    const pages = result.links.filter((link) => link.state === LinkState.OK).length;
    assert.ok(pages > 100, `only ${pages} links checked`);
    assert.deepEqual(describeBroken(result.links, siteDir), []);
  });

  test('every relative link and anchor of the READMEs resolves', async () => {
    const files = readmes();
    assert.ok(files.length >= 6, files.join(', '));
    const result = await checkMarkdown(repoRoot, files);
    assert.deepEqual(describeBroken(result.links, repoRoot), []);
  });
});
