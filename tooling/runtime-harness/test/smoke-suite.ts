import { assert, assertEqual, test } from '../src/suite.ts';

export default [
  test('web crypto HMAC works', async () => {
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode('k'),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const sig = new Uint8Array(
      await crypto.subtle.sign('HMAC', key, new TextEncoder().encode('x')),
    );
    assertEqual(sig.length, 32);
  }),
  test('env arrives', (ctx) => assertEqual(ctx.env.GREETING, 'hi')),
  test('loopback fetch works when a URL is given', async (ctx) => {
    if (!ctx.env.URL) return;
    const res = await fetch(ctx.env.URL);
    assert(res.ok, `status ${res.status}`);
    assertEqual(await res.text(), 'pong');
  }),
];
