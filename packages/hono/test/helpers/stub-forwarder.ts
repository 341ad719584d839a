import type { ForwardRequest, Forwarder } from '../../src/upstream/forwarder.js';

/**
 * A forwarder standing in for the cluster: answers every request with an empty `ok` result and
 * records what reached it, so a test can assert that a refused request never did.
 */
export function recordingForwarder(): { forwarder: Forwarder; forwarded: ForwardRequest[] } {
  const forwarded: ForwardRequest[] = [];
  const forwarder: Forwarder = {
    async forward(request) {
      forwarded.push(request);
      return {
        ok: true,
        status: 200,
        response: new Response('{"result":{},"status":"ok","time":0}', {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
      };
    },
  };
  return { forwarder, forwarded };
}
