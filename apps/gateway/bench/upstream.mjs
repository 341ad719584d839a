// A stand-in cluster for the benchmark: answers every request with a small search result.
import { createServer } from 'node:http';

const body = JSON.stringify({
  result: [
    { id: 1, version: 3, score: 0.91, payload: { city: 'Berlin' } },
    { id: 7, version: 1, score: 0.87, payload: { city: 'Paris' } },
    { id: 42, version: 2, score: 0.8, payload: { city: 'Oslo' } },
  ],
  status: 'ok',
  time: 0.0001,
});
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
