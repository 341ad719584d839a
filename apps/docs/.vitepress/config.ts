import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';
import { benchmarkCharts } from './benchmark-charts.ts';

const docsRoot = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const repositoryUrl = 'https://github.com/qdrant-kit/qdrant-kit';

/** The published packages with the version this site documents, read from their manifests. */
function publishedPackages(): { name: string; version: string }[] {
  return ['packages/core', 'packages/client', 'apps/gateway'].flatMap((folder) => {
    const manifest = `${repositoryRoot}${folder}/package.json`;
    if (!existsSync(manifest)) return [];
    const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name: string;
      version: string;
    };
    return [{ name, version }];
  });
}

/** A nav entry showing the version, with each package's page on npm. */
function versionMenu(): DefaultTheme.NavItem[] {
  const packages = publishedPackages();
  if (packages.length === 0) return [];
  const versions = [...new Set(packages.map((entry) => entry.version))];
  return [
    {
      text: versions.length === 1 ? `v${versions[0]}` : 'Versions',
      items: [
        ...packages.map((entry) => ({
          text: `${entry.name} ${entry.version} on npm`,
          link: `https://www.npmjs.com/package/${entry.name}`,
        })),
        { text: 'Source and releases', link: repositoryUrl },
      ],
    },
  ];
}

/** Sidebar for the generated API reference, from what TypeDoc wrote at build time. */
function apiReferenceItems(): DefaultTheme.SidebarItem[] {
  const scopeDir = `${docsRoot}reference/api/@qdrant-kit`;
  if (!existsSync(scopeDir)) return [];
  return readdirSync(scopeDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => {
      const item = { text: `@qdrant-kit/${name}`, link: `/reference/api/@qdrant-kit/${name}/` };
      // Subpath exports (`@qdrant-kit/gateway/node`) are modules nested in their package's folder.
      const nested = readdirSync(`${scopeDir}/${name}`, { withFileTypes: true })
        .filter(
          (entry) =>
            entry.isDirectory() && existsSync(`${scopeDir}/${name}/${entry.name}/index.md`),
        )
        .map((entry) => ({
          text: `@qdrant-kit/${name}/${entry.name}`,
          link: `/reference/api/@qdrant-kit/${name}/${entry.name}/`,
        }));
      return [item, ...nested];
    });
}

export default defineConfig({
  title: 'qdrant-kit',
  description:
    'Qdrant Cloud from code: database keys that behave exactly like a cluster, a typed Cloud API client and an edge gateway.',
  lang: 'en-GB',
  cleanUrls: true,
  // The API reference has hundreds of pages: keep their index out of every page's HTML.
  metaChunk: true,
  outDir: 'dist',
  srcExclude: ['test-output/**', 'test/**', 'README.md'],
  vite: {
    build: {
      // The local search index of ~600 reference pages is one lazy chunk of about 1 MB, loaded
      // only when the search box opens.
      chunkSizeWarningLimit: 1500,
      // zod's sources carry comments Rollup cannot place; they are harmless and only noise here.
      rollupOptions: {
        onwarn(warning, warn) {
          if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/zod/')) return;
          warn(warning);
        },
      },
    },
  },
  lastUpdated: false,
  markdown: {
    config(md) {
      md.use(benchmarkCharts);
    },
  },
  head: [
    ['link', { rel: 'icon', type: 'image/svg+xml', href: '/logo.svg' }],
    ['meta', { name: 'theme-color', content: '#4f46e5' }],
  ],
  themeConfig: {
    logo: { src: '/logo.svg', alt: '' },
    nav: [
      { text: 'Guide', link: '/guide/getting-started', activeMatch: '^/(guide|guides)/' },
      { text: 'Concepts', link: '/concepts/keys', activeMatch: '^/concepts/' },
      { text: 'API', link: '/reference/', activeMatch: '^/reference/' },
      { text: 'Benchmarks', link: '/benchmarks' },
      { text: 'Key workbench', link: '/workbench' },
      ...versionMenu(),
    ],
    socialLinks: [
      { icon: 'github', link: repositoryUrl, ariaLabel: 'Source on GitHub' },
      { icon: 'npm', link: 'https://www.npmjs.com/org/qdrant-kit', ariaLabel: 'Packages on npm' },
    ],
    sidebar: {
      '/': [
        {
          text: 'Start here',
          items: [
            { text: 'Getting started', link: '/guide/getting-started' },
            { text: 'Get a Qdrant to point at', link: '/guide/get-a-qdrant' },
          ],
        },
        {
          text: 'Concepts',
          items: [
            { text: 'Database and management keys', link: '/concepts/keys' },
            { text: 'The access model', link: '/concepts/access-model' },
            { text: 'Expiry and rotation', link: '/concepts/expiry-and-rotation' },
          ],
        },
        {
          text: 'Guides',
          items: [
            { text: 'Per-tenant keys in a serverless backend', link: '/guides/per-tenant-keys' },
            { text: 'Deploy the gateway', link: '/guides/deploy-gateway' },
            {
              text: 'Per-user access from your identity provider',
              link: '/guides/identity-provider',
            },
            { text: 'Create a cluster and a key', link: '/guides/cluster-and-key' },
            { text: 'Rotate keys without downtime', link: '/guides/rotate-keys' },
            { text: 'Revoke a tenant, limit each one', link: '/guides/revoke-and-rate-limit' },
          ],
        },
        {
          text: 'Tools',
          items: [
            { text: 'Key workbench', link: '/workbench' },
            { text: 'Benchmarks', link: '/benchmarks' },
          ],
        },
        {
          text: 'API reference',
          link: '/reference/',
          items: [
            { text: 'Gateway admin API', link: '/reference/gateway-admin-api' },
            ...apiReferenceItems(),
          ],
        },
      ],
    },
    search: { provider: 'local' },
    outline: { level: [2, 3] },
    footer: {
      message: 'Apache-2.0. Not affiliated with Qdrant Solutions GmbH.',
    },
  },
});
