// Checks the harness itself: `node test/smoke.ts` runs a tiny suite on every runtime.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ALL_RUNTIMES, runSuiteOn } from '../src/node-host.ts';

const server = createServer((_req, res) => res.end('pong')).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const { port } = server.address() as { port: number };
let bad = 0;
for (const runtime of ALL_RUNTIMES) {
  const t = Date.now();
  const result = await runSuiteOn(runtime, {
    suite: fileURLToPath(new URL('./smoke-suite.ts', import.meta.url)),
    env: { GREETING: 'hi', URL: `http://127.0.0.1:${port}/` },
  });
  console.log(
    runtime,
    result.passed,
    'passed',
    result.failed,
    'failed',
    `${Date.now() - t} ms`,
    result.failures,
  );
  if (result.failed || result.passed !== 3) bad++;
}
server.close();
process.exit(bad ? 1 : 0);
