// A stand-in cluster for the benchmark: answers every request with a small search result.
import { createServer } from 'node:http';
import { SEARCH_RESULT } from './search-result.mjs';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(SEARCH_RESULT),
    });
    res.end(SEARCH_RESULT);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
