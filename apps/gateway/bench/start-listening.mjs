// Starts a server process (gateway, upstream or bare proxy) and resolves with its URL once it
// prints `listening on http://127.0.0.1:<port>`; after that its output is drained, not kept
// (the gateway logs one line per request). The child is pushed to `spawned` at once, so a caller
// can stop it even when it never starts listening.
import { spawn } from 'node:child_process';

export function startListening(command, args, env = {}, spawned = []) {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk) => {
      seen += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) {
        child.stdout.off('data', onData);
        child.stderr.off('data', onData);
        child.stdout.resume();
        child.stderr.resume();
        resolve({ child, url: match[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} exited ${code}: ${seen}`)));
    setTimeout(() => reject(new Error(`${command} did not start: ${seen}`)), 20_000);
  });
}
