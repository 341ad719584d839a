// The README's and the docs' variable tables are written from the variable definitions
// (scripts/config-docs.mjs); this fails when one of them was edited by hand or a variable changed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as gateway from '../src/index.js';

const START =
  '<!-- config-table: generated from the variable definitions by `pnpm config-docs` -->';
const END = '<!-- /config-table -->';

function documentedTable(relative: string): string {
  const text = readFileSync(new URL(relative, import.meta.url), 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  expect(start, `${relative} has a generated table`).toBeGreaterThan(-1);
  return text.slice(start + START.length, end).trim();
}

const sections = gateway.configSectionsOf(gateway);

describe('the variable tables', () => {
  it('cover the gateway and the CLI sections', () => {
    expect(sections.map((s) => s.title)).toEqual([
      'gateway',
      'identity-provider tokens',
      'Node CLI',
    ]);
  });

  for (const file of ['../README.md', '../../docs/guides/deploy-gateway.md']) {
    it(`${file} shows exactly the defined variables (run pnpm config-docs after a change)`, () => {
      expect(documentedTable(file)).toBe(gateway.configTableMarkdown(sections));
    });
  }

  it('each default shown is what parsing an empty value of the variable yields', () => {
    const config = gateway.parseGatewayConfig({ QDRANT_UPSTREAM_URL: 'http://127.0.0.1:6333' });
    for (const [field, v] of Object.entries(gateway.GATEWAY_VARIABLES.variables)) {
      if (v.presence === 'default')
        expect(config[field as keyof typeof config], v.name).toEqual(v.default);
    }
    expect(gateway.parseCliConfig({})).toEqual({ dev: false, workers: 1 });
  });
});
