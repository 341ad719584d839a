// Rewrites the variable tables of the README and the docs' deploy guide from the variable
// definitions (`pnpm --filter @qdrant-kit/gateway config-docs`, after a build). Every section the
// package exports is included: a feature's section appears once it is exported.
// test/config-docs.test.ts fails when a table differs from what this writes.
import { readFileSync, writeFileSync } from 'node:fs';
import * as gateway from '../dist/index.js';

const START =
  '<!-- config-table: generated from the variable definitions by `pnpm config-docs` -->';
const END = '<!-- /config-table -->';
const files = [
  new URL('../README.md', import.meta.url),
  new URL('../../docs/guides/deploy-gateway.md', import.meta.url),
];

const sections = gateway.configSectionsOf(gateway);
const table = gateway.configTableMarkdown(sections);

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end < start)
    throw new Error(`${file.pathname}: no ${START} ... ${END} block`);
  writeFileSync(file, `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`);
}
