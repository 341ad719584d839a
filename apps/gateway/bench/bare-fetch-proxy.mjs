// Reference for the benchmark on Bun and Deno: the least a fetch-based proxy can do there
// (the runtime's own server handing each request to its own `fetch`), with no routing, no auth
// and no logging: the ceiling of that runtime's HTTP stack, which the gateway cannot exceed.
// `bun bare-fetch-proxy.mjs <upstream>` or `deno run -A bare-fetch-proxy.mjs <upstream>`.
const upstream = (globalThis.Deno ? Deno.args : process.argv.slice(2))[0];

function forward(request) {
  const url = request.url;
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  return fetch(upstream + url.slice(pathStart), {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
    decompress: false,
  });
}

const listening = (port) => console.log(`listening on http://127.0.0.1:${port}`);
if (globalThis.Bun) {
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: forward });
  listening(server.port);
} else {
  Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: ({ port }) => listening(port) }, forward);
}
