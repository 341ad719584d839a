import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { claimsFor, createKeyVerifier, signDatabaseKey } from '@qdrant-kit/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { parseBenchmarkTables } from '../.vitepress/theme/lib/benchmarks.ts';
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
  '--headless',
];

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

    await page.locator('.VPNavBar').getByRole('link', { name: 'Benchmarks' }).click();
    await page.waitForURL(/\/benchmarks$/);
    await page.getByRole('heading', { level: 1, name: 'Benchmarks' }).waitFor();
    const benchmarksFile =
      process.env.QK_BENCHMARKS_FILE ?? join(docsRoot, '..', '..', 'BENCHMARKS.md');
    const expectedTables = existsSync(benchmarksFile)
      ? parseBenchmarkTables(readFileSync(benchmarksFile, 'utf8')).length
      : 0;
    if (expectedTables === 0) {
      await page.getByTestId('bench-empty').waitFor();
    } else {
      await page.getByTestId('bench-table').first().waitFor();
      assert.equal(await page.getByTestId('bench-table').count(), expectedTables);
    }
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

  test('the workbench says nothing leaves the browser, and its policy forbids connections', async () => {
    await page.goto(`${site.origin}/workbench`);
    const note = (await page.getByTestId('privacy-note').textContent()) ?? '';
    assert.match(note, /Nothing you type here leaves your browser/);
    const policy = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    assert.match(policy ?? '', /connect-src 'none'/);
    const errorsBefore = consoleErrors.length;
    const blocked = await page.evaluate(async () => {
      try {
        await fetch('/index.html');
        return 'fetch went through';
      } catch {
        return 'blocked';
      }
    });
    assert.equal(blocked, 'blocked');
    // Chromium logs the refusal this test provoked on purpose; that is not a page error.
    const provoked = consoleErrors.splice(errorsBefore);
    consoleErrors.push(
      ...provoked.filter(
        (line) => !/Content Security Policy|connect-src|Failed to fetch/.test(line),
      ),
    );
  });

  test('every request stayed on the loopback site', () => {
    const elsewhere = requests.filter((request) => !request.url.startsWith(site.origin));
    assert.deepEqual(elsewhere, []);
  });

  test('no console errors on any page', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
