// The built package, as users import it: `.` and `./node` share chunks, so a class is the same
// object from both subpaths (within each module system), and `instanceof` holds across them.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

type Root = typeof import('../src/index.js');
type Node = typeof import('../src/node.js');

const require = createRequire(import.meta.url);
const hidingOnly = { upstreamUrl: 'http://127.0.0.1:9', upstreamApiKey: 'hidden-key' };

async function thrownBy(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe.each([
  {
    format: 'ESM',
    load: async () => ({
      root: (await import('../dist/index.js' as string)) as Root,
      node: (await import('../dist/node.js' as string)) as Node,
    }),
  },
  {
    format: 'CJS',
    load: async () => ({
      root: require('../dist/index.cjs') as Root,
      node: require('../dist/node.cjs') as Node,
    }),
  },
])('dist ($format)', ({ load }) => {
  it('an error thrown from ./node is an instance of the class exported by .', async () => {
    const { root, node } = await load();
    const config = root.gatewayConfig(hidingOnly);
    const fromNode = await thrownBy(() => node.createNodeGateway(config));
    const fromRoot = await thrownBy(() => root.createGateway(config));
    expect(fromNode).toBeInstanceOf(root.GatewayConfigError);
    expect(fromRoot).toBeInstanceOf(root.GatewayConfigError);
    expect(Object.getPrototypeOf(fromNode)).toBe(Object.getPrototypeOf(fromRoot));
  });

  it('a refusal thrown by qdrantAuth is a QdrantAuthError and a hono HTTPException', async () => {
    const { root, node } = await load();
    const { app, forwarder } = node.createNodeGateway(
      root.gatewayConfig({ upstreamUrl: 'http://127.0.0.1:9', apiKey: 'k', logRequests: false }),
      { afterAuth: [] },
    );
    let thrown: unknown;
    app.onError((error, c) => {
      thrown = error;
      return c.text('refused', 401);
    });
    await app.request('/collections');
    forwarder.close();
    expect(thrown).toBeInstanceOf(root.QdrantAuthError);
  });
});
