import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { claimsFor, createKeyVerifier, signDatabaseKey } from '@qdrant-kit/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { identityToken, unsignedKey } from './support/keys.ts';
import { type StaticSite, serveStaticSite } from './support/static-server.ts';

// Drives Debian's Chromium against the built site on loopback. Requires `pnpm build` first
// (turbo runs it before `test`).
const docsRoot = fileURLToPath(new URL('..', import.meta.url));
const siteDir = join(docsRoot, 'dist');
const outputDir = join(docsRoot, 'test-output');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--headless',
];
const benchmarksFile = join(docsRoot, '..', '..', 'BENCHMARKS.md');

/** Every page of the built site, as the clean URL a reader visits (from dist, not a list). */
function builtPages(): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'assets') walk(path);
      } else if (entry.name.endsWith('.html') && path !== join(siteDir, '404.html')) {
        const url = `/${relative(siteDir, path).split(sep).join('/')}`
          .replace(/(^|\/)index\.html$/, '$1')
          .replace(/\.html$/, '');
        pages.push(url);
      }
    }
  };
  walk(siteDir);
  return pages.sort();
}

/** Elements wider than the viewport or pushing the page sideways, described for a message. */
async function horizontalOverflow(target: Page): Promise<string[]> {
  return target.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
      problems.push(`page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    }
    for (const element of document.querySelectorAll('.vp-doc *')) {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.right <= root.clientWidth + 1) continue;
      // Inside a box that scrolls (a wide table or code block) is not overflowing the page.
      let clipped = false;
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (
          style.overflowX !== 'visible' &&
          parent.getBoundingClientRect().right <= root.clientWidth + 1
        ) {
          clipped = true;
          break;
        }
      }
      if (!clipped) {
        problems.push(
          `${element.tagName.toLowerCase()}.${element.className}: right edge ${Math.round(rect.right)}`,
        );
      }
    }
    return problems.slice(0, 10);
  });
}

/** A server on another loopback origin that counts what reaches it: nothing should. */
async function otherOrigin(): Promise<{ origin: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'access-control-allow-origin': '*' }).end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let site: StaticSite;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const requests: { url: string; type: string; method: string }[] = [];

before(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. Install it with \`apt-get install chromium\` ` +
        '(Debian/Ubuntu) or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
  if (!existsSync(join(siteDir, 'index.html'))) {
    throw new Error(
      `No built site in ${siteDir}: run \`pnpm --filter @qdrant-kit/docs build\` first.`,
    );
  }
  mkdirSync(outputDir, { recursive: true });
  site = await serveStaticSite(siteDir);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
  });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
  });
  page.on('request', (request) =>
    requests.push({ url: request.url(), type: request.resourceType(), method: request.method() }),
  );
});

/** What the key box says about its content: `empty`, `valid` or `invalid`. */
async function keyBoxState(): Promise<string | null> {
  return page.getByLabel('Database API key').getAttribute('data-state');
}

after(async () => {
  await browser?.close();
  await site?.close();
});

describe('documentation site in Chromium', () => {
  test('home page loads', async () => {
    const response = await page.goto(`${site.origin}/`);
    assert.equal(response?.status(), 200);
    assert.match(await page.title(), /qdrant-kit/);
    await page.getByText('Qdrant keys, from code').waitFor();
  });

  test('navigation works: nav bar, sidebar, reference, benchmarks', async () => {
    await page.locator('.VPNavBar').getByRole('link', { name: 'Guide' }).click();
    await page.waitForURL(/\/guide\/getting-started$/);
    await page.getByRole('heading', { level: 1, name: 'Getting started' }).waitFor();

    await page.locator('.VPSidebar').getByRole('link', { name: 'The access model' }).click();
    await page.waitForURL(/\/concepts\/access-model$/);
    await page.locator('.qk-matrix table').waitFor();
    const matrixRows = page.locator('.qk-matrix tbody tr:not(.qk-group)');
    assert.ok((await matrixRows.count()) >= 90, 'the access matrix lists every REST route');
    const matrixRow = (operation: string) =>
      page.locator(`.qk-matrix tbody tr[data-operation="${operation}"]`);
    const searchRow = matrixRow('POST /collections/{collection_name}/points/search');
    assert.deepEqual(
      await searchRow
        .locator('td[data-allowed]')
        .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-allowed'))),
      ['true', 'true', 'true', 'true', 'true'],
    );
    const deleteRow = matrixRow('DELETE /collections/{collection_name}');
    assert.deepEqual(
      await deleteRow
        .locator('td[data-allowed]')
        .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-allowed'))),
      ['true', 'false', 'false', 'false', 'false'],
    );

    await page.locator('.VPNavBar').getByRole('link', { name: 'API' }).click();
    await page.waitForURL(/\/reference\/$/);
    await page.locator('.vp-doc').getByRole('link', { name: '@qdrant-kit/core' }).click();
    await page.waitForURL(/\/reference\/api\/@qdrant-kit\/core\/?$/);
    await page.locator('.vp-doc').getByText('authorizeRequest').first().waitFor();

    const nav = page.locator('.VPNavBar');
    assert.ok(
      (await nav.locator('a[href="https://github.com/qdrant-kit/qdrant-kit"]').count()) > 0,
      'the nav links to the repository',
    );
    assert.ok(
      (await nav.locator('a[href^="https://www.npmjs.com/"]').count()) > 0,
      'the nav links to npm',
    );
    const version = JSON.parse(
      readFileSync(join(docsRoot, '..', '..', 'packages', 'core', 'package.json'), 'utf8'),
    ) as { version: string };
    await nav.getByText(`v${version.version}`, { exact: true }).first().waitFor();
  });

  test('the benchmarks page renders BENCHMARKS.md faithfully', async () => {
    await page.locator('.VPNavBar').getByRole('link', { name: 'Benchmarks' }).click();
    await page.waitForURL(/\/benchmarks$/);
    await page.getByRole('heading', { level: 1, name: 'Benchmarks' }).waitFor();
    const source = readFileSync(benchmarksFile, 'utf8');
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the text a reader sees, not a DOM property
    const text = await page.locator('.vp-doc').innerText();
    assert.doesNotMatch(text, /\*\*/, 'no raw bold markers');
    assert.doesNotMatch(text, /`[^`\n]+`/, 'no raw code spans');
    assert.doesNotMatch(text, /\|\s*:?-{3}/, 'no raw table rows');
    const flat = text.replace(/\s+/g, ' ');
    const figures = [...new Set(source.match(/\d+(?:[.,]\d+)*/g) ?? [])];
    const missing = figures.filter((figure) => !flat.includes(figure));
    assert.deepEqual(missing, [], 'every figure of BENCHMARKS.md is on the page');
    // Every caveat is prose of the file; a few that an earlier page dropped, checked by name.
    assert.match(flat, /The goal against nginx is not met on Node\./);
    const separators = source
      .split('\n')
      .filter((line) => /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$/.test(line));
    assert.equal(await page.locator('.vp-doc table').count(), separators.length, 'every table');
    assert.ok((await page.getByTestId('bench-charts').count()) > 0, 'some tables have charts');

    // Every bar of every chart lies inside its axis.
    const outside = await page.locator('.qk-chart-bar').evaluateAll((bars) =>
      bars.flatMap((bar) => {
        const box = bar.getBoundingClientRect();
        const track = bar.parentElement?.getBoundingClientRect();
        if (!track) return ['no track'];
        return box.width >= 2 && box.left >= track.left - 0.5 && box.right <= track.right + 0.5
          ? []
          : [`${box.left}-${box.right} outside ${track.left}-${track.right}`];
      }),
    );
    assert.deepEqual(outside, []);
    assert.deepEqual(await horizontalOverflow(page), []);
    const wrapsInBoxes = await page
      .locator('.vp-doc p, .vp-doc li')
      .evaluateAll((blocks) =>
        blocks
          .filter((block) => block.scrollWidth > block.clientWidth + 1)
          .map((block) => block.textContent?.slice(0, 60)),
      );
    assert.deepEqual(wrapsInBoxes, [], 'prose wraps instead of running off');
    await page.setViewportSize({ width: 390, height: 844 });
    assert.deepEqual(await horizontalOverflow(page), [], 'no overflow on a phone either');
    await page.screenshot({ path: join(outputDir, 'benchmarks-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1360, height: 900 });
  });

  test('workbench decodes a pasted key: claims, expiry, collections and modes', async () => {
    await page.locator('.VPNavBar').getByRole('link', { name: 'Key workbench' }).click();
    await page.waitForURL(/\/workbench$/);
    await page.getByLabel('Database API key').waitFor();
    await page.waitForLoadState('networkidle');
    const requestsBefore = requests.length;

    const key = await signDatabaseKey(
      'docs-test-secret',
      claimsFor({
        access: { 'tenant-42': 'rw', catalogue: 'r', uploads: 'prw' },
        expiresIn: '1h',
        subject: 'tenant:42',
      }),
    );
    await page.getByLabel('Database API key').fill(key);
    const grants = page.getByTestId('grants');
    for (const [collection, mode] of [
      ['tenant-42', 'rw'],
      ['catalogue', 'r'],
      ['uploads', 'prw'],
    ] as const) {
      const row = grants.locator(`tr[data-collection="${collection}"]`);
      assert.equal((await row.locator('.qk-mode').textContent())?.trim(), mode);
    }
    assert.match((await page.getByTestId('expiry').textContent()) ?? '', /Expires in (59 min|1 h)/);
    assert.match((await page.getByTestId('claims').textContent()) ?? '', /"subject": "tenant:42"/);

    const operations = page.getByTestId('operations');
    const headers = await operations
      .locator('thead th[data-collection]')
      .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-collection')));
    assert.deepEqual(headers, ['tenant-42', 'catalogue', 'uploads']);
    const cellsOf = (operation: string) =>
      operations
        .locator(`tbody tr[data-operation="${operation}"] td`)
        .evaluateAll((cells) => cells.map((cell) => cell.textContent?.trim()));
    const c = '/collections/{collection_name}';
    assert.deepEqual(await cellsOf(`POST ${c}/points/search`), ['✓', '✓', '✓']);
    assert.deepEqual(await cellsOf(`PUT ${c}/points`), ['✓', '✗', '✓']);
    assert.deepEqual(await cellsOf(`PUT ${c}/index`), ['✓', '✗', '✗']);
    assert.deepEqual(await cellsOf(`DELETE ${c}`), ['✗', '✗', '✗']);

    // A tall viewport rather than `fullPage`: the fixed nav bar and sidebar stay where a reader sees them.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.setViewportSize({ width: 1360, height: 2300 });
    await page.screenshot({ path: join(outputDir, 'workbench.png') });
    await page.setViewportSize({ width: 1360, height: 900 });

    const expired = await signDatabaseKey(
      'docs-test-secret',
      claimsFor({ access: 'r', expiresAt: new Date(Date.now() - 2 * 3600 * 1000) }),
    );
    await page.getByLabel('Database API key').fill(expired);
    assert.match((await page.getByTestId('expiry').textContent()) ?? '', /^Expired 2 h/);
    assert.match((await page.getByTestId('grants').textContent()) ?? '', /every collection/);

    await page.getByLabel('Database API key').fill('not-a-jwt-just-an-admin-key');
    assert.match((await page.getByTestId('inspect-message').textContent()) ?? '', /Not a JWT/);
    assert.equal(await keyBoxState(), 'invalid');

    const sent = requests.slice(requestsBefore).filter((request) => request.type !== 'image');
    assert.deepEqual(sent, [], 'decoding made no request');
  });

  test('workbench mints a key that @qdrant-kit/core verifies with the same secret', async () => {
    const requestsBefore = requests.length;
    const secret = 'a-secret-typed-in-the-browser';
    await page.getByTestId('mint-secret').fill(secret);
    await page.getByTestId('grant-collection-0').fill('tenant-7');
    await page.getByTestId('grant-mode-0').selectOption('prw');
    await page.getByTestId('add-grant').click();
    await page.getByTestId('grant-collection-2').fill('audit');
    await page.getByTestId('grant-mode-2').selectOption('rw');
    await page.getByTestId('mint-expiry').selectOption('1h');
    await page.getByTestId('mint-subject').fill('tenant:7');
    await page.getByTestId('mint-button').click();
    const token = await page.getByTestId('minted-key').inputValue();
    assert.match(token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);

    const verified = await createKeyVerifier({ apiKey: secret, jwtRbac: true }).verifyKey(token);
    assert.ok(verified.ok, `core refused the minted key: ${JSON.stringify(verified)}`);
    assert.equal(verified.keyKind, 'jwt');
    assert.deepEqual(verified.access, {
      kind: 'collections',
      collections: [
        { collection: 'tenant-7', access: 'prw' },
        { collection: 'shared-catalogue', access: 'r' },
        { collection: 'audit', access: 'rw' },
      ],
    });
    const expiresIn = (verified.expiresAt ?? 0) - Date.now() / 1000;
    assert.ok(expiresIn > 3500 && expiresIn <= 3600, `exp is one hour ahead (${expiresIn} s)`);
    assert.equal(verified.claims?.subject, 'tenant:7');

    const wrongSecret = await createKeyVerifier({
      apiKey: 'another-secret',
      jwtRbac: true,
    }).verifyKey(token);
    assert.deepEqual(wrongSecret, { ok: false, status: 403, message: 'InvalidSignature' });

    await page.getByTestId('inspect-minted').click();
    assert.equal(await page.getByLabel('Database API key').inputValue(), token);
    await page.getByTestId('grants').locator('tr[data-collection="tenant-7"]').waitFor();
    await page.locator('#qk-signature-secret').fill(secret);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    assert.match(
      (await page.getByTestId('signature-result').textContent()) ?? '',
      /Valid signature/,
    );

    const sent = requests.slice(requestsBefore).filter((request) => request.type !== 'image');
    assert.deepEqual(sent, [], 'minting made no request');
    await page.locator('#qk-mint').screenshot({ path: join(outputDir, 'workbench-mint.png') });
  });

  test('workbench: an exp no Date can show and a bigint value blank nothing', async () => {
    const errorsBefore = consoleErrors.length;
    await page
      .getByLabel('Database API key')
      .fill(unsignedKey({ access: 'r', exp: 99_999_999_999_999 }));
    assert.match(
      (await page.getByTestId('expiry').textContent()) ?? '',
      /Expires in \d+ days.*later than any date a browser can show/,
    );
    await page.getByTestId('mint-button').waitFor();
    await page
      .getByLabel('Database API key')
      .fill(
        unsignedKey(
          '{"access":"r","value_exists":{"collection":"users","matches":[{"key":"id","value":9007199254740993}]}}',
        ),
      );
    assert.match(
      (await page.getByTestId('claims').textContent()) ?? '',
      /"value": 9007199254740993\b/,
    );
    await page.getByTestId('mint-button').waitFor();
    assert.equal(await page.getByTestId('render-failure').count(), 0);
    assert.deepEqual(consoleErrors.slice(errorsBefore), []);
  });

  test('workbench: "*" and any-collection are collections like any other', async () => {
    await page
      .getByLabel('Database API key')
      .fill(unsignedKey({ access: [{ collection: '*', access: 'r' }] }));
    const grants = page.getByTestId('grants');
    assert.equal((await grants.locator('tr[data-collection="*"] code').textContent())?.trim(), '*');
    assert.doesNotMatch((await grants.textContent()) ?? '', /every collection/);

    await page
      .getByLabel('Database API key')
      .fill(unsignedKey({ access: [{ collection: 'any-collection', access: 'rw' }] }));
    const header = page
      .getByTestId('operations')
      .locator('thead th[data-collection="any-collection"]');
    assert.match((await header.textContent()) ?? '', /^\s*any-collection/);
    assert.equal(
      await page.getByTestId('operations').locator('thead th[data-placeholder]').count(),
      0,
    );

    await page.getByLabel('Database API key').fill(unsignedKey({ access: 'm' }));
    const placeholder = page.getByTestId('operations').locator('thead th[data-placeholder]');
    assert.match((await placeholder.textContent()) ?? '', /any collection/);
    assert.equal(
      await page.getByTestId('operations').locator('thead th[data-collection]').count(),
      0,
    );
  });

  test('workbench: hidden characters in names are written out, not obeyed', async () => {
    const name = 'invoices\u202etxt.exe';
    await page
      .getByLabel('Database API key')
      .fill(unsignedKey({ access: [{ collection: name, access: 'r' }], subject: 'ab\u200bc' }));
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the text a reader sees, not a DOM property
    const grants = await page.getByTestId('grants').innerText();
    assert.match(grants, /invoicesU\+202Etxt\.exe/);
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the text a reader sees, not a DOM property
    const shown = await page.locator('.qk-wb-result').innerText();
    assert.doesNotMatch(shown, /[\u202a-\u202e\u2066-\u2069\u200b]/, 'no raw hidden character');
    assert.match(shown, /U\+200B/);
    assert.match((await page.getByTestId('claims').textContent()) ?? '', /invoices\\u202etxt\.exe/);
  });

  test('workbench: 1500 collections render in well under a second', async () => {
    const keyOf = (prefix: string) =>
      unsignedKey({
        access: Array.from({ length: 1500 }, (_, index) => ({
          collection: `${prefix}-${index}`,
          access: 'r',
        })),
      });
    // One untimed round first: the browser compiles the code once, whatever the key.
    await page.getByLabel('Database API key').fill(keyOf('warm-up'));
    await page.getByTestId('column-range').waitFor();
    // The box is shared with other work (load 10+ on 2 cores): the fastest of three rounds is
    // the page's own cost, the others mostly waiting for a core.
    const rounds: number[] = [];
    for (const prefix of ['tenant-a', 'tenant-b', 'tenant']) {
      await page.getByLabel('Database API key').fill('');
      rounds.push(
        await page.evaluate(async (token) => {
          const box = document.querySelector<HTMLTextAreaElement>('#qk-key-input');
          if (!box) throw new Error('no key box');
          const started = performance.now();
          box.value = token;
          box.dispatchEvent(new Event('input', { bubbles: true }));
          while (!document.querySelector('[data-testid="column-range"]')) {
            await new Promise((resolve) => requestAnimationFrame(resolve));
          }
          await new Promise((resolve) => requestAnimationFrame(resolve));
          return performance.now() - started;
        }, keyOf(prefix)),
      );
    }
    const fastest = Math.min(...rounds);
    // The old page froze for 12 s on such a key. This one takes 0.2-0.4 s on a quiet box and up to
    // 1.2 s at a load of 14 on 2 cores; the bound catches a return of the freeze, not the noise.
    assert.ok(fastest < 2000, `rendered in ${rounds.map(Math.round).join(', ')} ms`);
    assert.match((await page.getByTestId('column-range').textContent()) ?? '', /1–8 of 1500/);
    await page.getByTestId('next-columns').click();
    assert.match((await page.getByTestId('column-range').textContent()) ?? '', /9–16 of 1500/);
    assert.equal(await page.getByTestId('grants').locator('tbody tr').count(), 50);
    await page.getByTestId('show-all-grants').click();
    assert.equal(await page.getByTestId('grants').locator('tbody tr').count(), 1500);
  });

  test('workbench: an identity-provider token and a mapping show what the gateway would grant', async () => {
    const errorsBefore = consoleErrors.length;
    const requestsBefore = requests.length;
    const box = page.getByLabel('Database API key');
    const exp = Math.floor(Date.now() / 1000) + 3600;
    await box.fill(
      identityToken({
        iss: 'https://login.example.com/',
        sub: 'user-7',
        aud: 'qdrant',
        exp,
        org_id: 'acme',
      }),
    );
    await page.getByTestId('identity-mapping').waitFor();
    assert.match(
      (await page.getByTestId('identity-issuer').textContent()) ?? '',
      /https:\/\/login\.example\.com\//,
    );
    const grants = page.getByTestId('grants');
    assert.equal(
      (await grants.locator('tr[data-collection="tenant-acme"] .qk-mode').textContent())?.trim(),
      'rw',
    );
    assert.equal(
      (await grants.locator('tr[data-collection="shared-docs"] .qk-mode').textContent())?.trim(),
      'r',
    );
    const mapping = page.getByLabel('Access mapping');
    await mapping.fill('[{"collection":"team-{org_id}","access":"prw"}]');
    assert.equal(
      (await grants.locator('tr[data-collection="team-acme"] .qk-mode').textContent())?.trim(),
      'prw',
    );
    await mapping.fill('[{"collection":"a/{org_id}","access":"rw"}]');
    assert.match(
      (await page.getByTestId('inspect-message').textContent()) ?? '',
      /would refuse this mapping/,
    );
    assert.equal(await keyBoxState(), 'valid', 'the token is fine; the mapping is not');
    await page
      .locator('#qk-inspect')
      .screenshot({ path: join(outputDir, 'workbench-identity.png') });
    await mapping.fill('"r"');
    assert.match((await grants.textContent()) ?? '', /every collection/);
    assert.deepEqual(consoleErrors.slice(errorsBefore), []);
    assert.deepEqual(
      requests.slice(requestsBefore).filter((request) => request.type !== 'image'),
      [],
      'mapping a token made no request',
    );
  });

  test('workbench: the key box is red only for a key that cannot be decoded', async () => {
    const key = await signDatabaseKey('s', claimsFor({ access: 'r' }));
    const box = page.getByLabel('Database API key');
    await box.fill(key);
    await box.focus();
    const styles = await box.evaluate((element) => {
      const style = getComputedStyle(element);
      const probe = document.createElement('span');
      probe.style.color = 'var(--qk-deny)';
      document.body.append(probe);
      const deny = getComputedStyle(probe).color;
      probe.remove();
      return { outline: style.outlineColor, border: style.borderColor, deny };
    });
    assert.equal(await keyBoxState(), 'valid');
    assert.notEqual(styles.outline, styles.deny, 'the focus ring is not the error colour');
    assert.notEqual(styles.border, styles.deny);
    await box.fill('eyJ.eyJ.x');
    assert.equal(await keyBoxState(), 'invalid');
  });

  test('the workbench says nothing leaves the browser, and its policy forbids every load elsewhere', async () => {
    const elsewhere = await otherOrigin();
    try {
      // Once as a reader arriving from another page (the policy arrives with client-side
      // navigation), once on a fresh load.
      await page.goto(`${site.origin}/`);
      await page.locator('.VPNavBar').getByRole('link', { name: 'Key workbench' }).click();
      await page.waitForURL(/\/workbench$/);
      await page.getByLabel('Database API key').waitFor();
      for (const arrival of ['navigated', 'loaded']) {
        if (arrival === 'loaded') await page.goto(`${site.origin}/workbench`);
        const note = (await page.getByTestId('privacy-note').textContent()) ?? '';
        assert.match(note, /Nothing you type here leaves your browser/);
        const errorsBefore = consoleErrors.length;
        const outcomes = await page.evaluate(async (target) => {
          const results: Record<string, string> = {};
          try {
            await fetch(`${target}/fetch`);
            results.fetch = 'went through';
          } catch {
            results.fetch = 'blocked';
          }
          try {
            results.beacon = navigator.sendBeacon(`${target}/beacon`, 'x') ? 'queued' : 'refused';
          } catch {
            results.beacon = 'blocked';
          }
          const image = new Image();
          image.src = `${target}/image.png`;
          const style = document.createElement('link');
          style.rel = 'stylesheet';
          style.href = `${target}/style.css`;
          document.head.append(style);
          const script = document.createElement('script');
          script.src = `${target}/script.js`;
          document.head.append(script);
          const frame = document.createElement('iframe');
          frame.src = `${target}/frame`;
          document.body.append(frame);
          const font = new FontFace('probe', `url(${target}/font.woff2)`);
          await font.load().catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 800));
          style.remove();
          script.remove();
          frame.remove();
          return results;
        }, elsewhere.origin);
        assert.equal(outcomes.fetch, 'blocked', arrival);
        assert.deepEqual(elsewhere.hits, [], `${arrival}: nothing reached another origin`);
        const provoked = consoleErrors.splice(errorsBefore);
        consoleErrors.push(
          ...provoked.filter(
            (line) =>
              !/Content Security Policy|Failed to fetch|ERR_BLOCKED_BY_CSP|Refused to/.test(line),
          ),
        );
      }
      const policy = await page
        .locator('meta[http-equiv="Content-Security-Policy"]')
        .getAttribute('content');
      assert.match(policy ?? '', /connect-src 'none'/);
      assert.match(policy ?? '', /default-src 'none'/);
    } finally {
      await elsewhere.close();
      // The attempts above were provoked on purpose and none arrived (asserted): they are not
      // requests the site made.
      const kept = requests.filter((request) => !request.url.startsWith(elsewhere.origin));
      requests.splice(0, requests.length, ...kept);
    }
  });

  test('every page of the built site loads, fits the viewport, and is screenshotted', async () => {
    const pages = builtPages();
    assert.ok(pages.length >= 10, `found ${pages.length} pages`);
    const shotsDir = join(outputDir, 'pages');
    mkdirSync(shotsDir, { recursive: true });
    const problems: string[] = [];
    // The pages as served (VitePress renders every page to HTML), without running their
    // scripts, in a few tabs at once: the site has hundreds of reference pages. The pages that
    // need scripts (workbench, access matrix) are driven with them by the tests above.
    const tour = await browser.newContext({
      viewport: { width: 1360, height: 900 },
      javaScriptEnabled: false,
    });
    const tabs = await Promise.all([1, 2, 3, 4].map(() => tour.newPage()));
    const queue = [...pages];
    await Promise.all(
      tabs.map(async (tab) => {
        tab.on('pageerror', (error) => consoleErrors.push(`${tab.url()}: ${error.message}`));
        for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
          const response = await tab.goto(`${site.origin}${path}`, { waitUntil: 'load' });
          if (response?.status() !== 200) problems.push(`${path}: status ${response?.status()}`);
          await tab.locator('.VPContent').waitFor();
          for (const problem of await horizontalOverflow(tab)) problems.push(`${path}: ${problem}`);
          const name =
            path === '/'
              ? 'index'
              : path
                  .slice(1)
                  .replace(/[^\w.-]+/g, '_')
                  .replace(/_$/, '');
          await tab.screenshot({ path: join(shotsDir, `${name}.png`) });
        }
        await tab.close();
      }),
    );
    await tour.close();
    assert.deepEqual(problems, []);
  });

  test('every request stayed on the loopback site', () => {
    const elsewhere = requests.filter((request) => !request.url.startsWith(site.origin));
    assert.deepEqual(elsewhere, []);
  });

  test('no console errors on any page', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
