// Reference for the benchmark: the least a Node proxy can do (node:http server piping into a
// keep-alive node:http client), with no routing, no auth and no logging. It shows the ceiling
// of Node's HTTP stack on this machine, which the gateway cannot exceed.
import http from 'node:http';

const upstream = new URL(process.argv[2]);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const server = http.createServer((req, res) => {
  const forwarded = http.request(
    {
      agent,
      hostname: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    },
    (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(res);
    },
  );
  forwarded.on('error', () => res.destroy());
  req.pipe(forwarded);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
// Exit cleanly on SIGTERM (so `node --cpu-prof` writes its profile).
process.once('SIGTERM', () => process.exit(0));
