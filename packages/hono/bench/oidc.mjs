// pnpm bench (identity-provider tokens): verify + authorize of an RS256 and an ES256 IdP token
// through checkRequest (what qdrantAuth runs per request), cold (no verified-token cache: key
// choice, signature, claims, mapping) and cached, against jose.jwtVerify with a local JWKS (the
// floor of a cold verify), and a cached database key through the same check (the goal: a cached
// IdP token within 2x of it). Keys are a local JWKS: no network.
// Run with Node 24 after `pnpm --filter @qdrant-kit/core build`. The machine is noisy: rounds
// are short and interleaved, and each ratio is the median of ratios measured within one round.
import { createKeyVerifier, createVerifiedTokenCache, signDatabaseKey } from '@qdrant-kit/core';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { importSource } from './bundle-source.mjs';

// The sources, bundled with their dependencies left external (the same instances as here).
const {
  checkRequest,
  createCredentialIds,
  createOidcCredentialVerifier,
  createOidcVerifier,
  parseAccessMapping,
} = await importSource('index.ts', 'oidc-bench');

const ISSUER = 'https://login.example.com/';
const SECRET = 'bench-secret-0123456789abcdef';
const exp = Math.floor(Date.now() / 1000) + 3600;
const claims = { iss: ISSUER, aud: 'qdrant', sub: 'user-1', org_id: 'acme', iat: exp - 3600, exp };
const request = { method: 'GET', path: '/collections/tenant-acme' };
const mapping = parseAccessMapping(
  '[{"collection":"tenant-{org_id}","access":"rw"},{"collection":"shared-docs","access":"r"}]',
);

const keys = {};
const tokens = {};
for (const alg of ['RS256', 'ES256']) {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  keys[alg] = { ...(await exportJWK(publicKey)), kid: `k-${alg}`, alg, use: 'sig' };
  tokens[alg] = await new SignJWT(claims)
    .setProtectedHeader({ alg, kid: `k-${alg}`, typ: 'at+jwt' })
    .sign(privateKey);
}
const jwks = { keys: Object.values(keys) };
const localSet = createLocalJWKSet(jwks);
const databaseKey = await signDatabaseKey(SECRET, {
  access: [
    { collection: 'tenant-acme', access: 'rw' },
    { collection: 'shared-docs', access: 'r' },
  ],
  exp,
});

/** What qdrantAuth runs per request, with the IdP as a credential (or without one). */
function gateway(cache, withOidc = true) {
  const keys = createKeyVerifier({ apiKey: SECRET, jwtRbac: true, cache });
  const credentials = withOidc
    ? [
        createOidcCredentialVerifier({
          oidc: createOidcVerifier({ issuer: ISSUER, audience: 'qdrant', jwks }),
          access: mapping,
          cache,
        }),
      ]
    : [];
  const options = {
    verifier: keys,
    credentials,
    credentialId: createCredentialIds(),
    maxBufferedBodyBytes: 1 << 20,
  };
  return (token) =>
    checkRequest(
      new Request(`http://gateway${request.path}`, {
        method: request.method,
        headers: { authorization: `Bearer ${token}` },
      }),
      options,
      0,
    );
}
const cold = gateway(false);
const cached = gateway(createVerifiedTokenCache());
// Today's gateway without OIDC: the cluster's key check alone.
const coreOnly = gateway(createVerifiedTokenCache(), false);

async function verifyAndAuthorize(check, token) {
  const result = await check(token);
  if (!result.ok) throw new Error(`${result.status} ${result.reason}`);
}

const cases = {
  rsCold: () => verifyAndAuthorize(cold, tokens.RS256),
  rsJose: () => jwtVerify(tokens.RS256, localSet, { issuer: ISSUER, audience: 'qdrant' }),
  rsCached: () => verifyAndAuthorize(cached, tokens.RS256),
  esCold: () => verifyAndAuthorize(cold, tokens.ES256),
  esJose: () => jwtVerify(tokens.ES256, localSet, { issuer: ISSUER, audience: 'qdrant' }),
  esCached: () => verifyAndAuthorize(cached, tokens.ES256),
  dbCached: () => verifyAndAuthorize(cached, databaseKey),
  dbCoreCached: () => verifyAndAuthorize(coreOnly, databaseKey),
};
const iterations = {
  rsCold: 300,
  rsJose: 300,
  rsCached: 10000,
  esCold: 300,
  esJose: 300,
  esCached: 10000,
  dbCached: 10000,
  dbCoreCached: 10000,
};

async function round(fn, n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - start) * 1e6) / n;
}

// Each comparison times its two cases back to back in every round (in an order swapped every
// other round), so a ratio compares two figures taken under the same load.
const comparisons = [
  ['rsCold', 'rsJose'],
  ['esCold', 'esJose'],
  ['rsCached', 'dbCached'],
  ['esCached', 'dbCached'],
  ['rsCached', 'dbCoreCached'],
  ['esCached', 'dbCoreCached'],
];
for (const name of Object.keys(cases)) await round(cases[name], iterations[name]); // warm-up
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const ratios = comparisons.map(() => []);
const ROUNDS = Number(process.env.QK_BENCH_ROUNDS ?? 21);
for (let r = 0; r < ROUNDS; r++) {
  for (const [index, [ours, peer]] of comparisons.entries()) {
    const pair = r % 2 === 0 ? [ours, peer] : [peer, ours];
    const times = {};
    for (const name of pair) times[name] = await round(cases[name], iterations[name]);
    samples[ours].push(times[ours]);
    samples[peer].push(times[peer]);
    ratios[index].push(times[ours] / times[peer]);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ns = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const ratio = (ours, peer) =>
  median(ratios[comparisons.findIndex(([a, b]) => a === ours && b === peer)]);
const fmt = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} µs` : `${x.toFixed(0)} ns`);

console.log(
  `identity-provider tokens, verify + authorize (${ROUNDS} rounds; medians, ratios paired per round):`,
);
for (const alg of ['rs', 'es']) {
  const name = alg === 'rs' ? 'RS256' : 'ES256';
  console.log(
    `  ${name}: cold ${fmt(ns[`${alg}Cold`])} = ${ratio(`${alg}Cold`, `${alg}Jose`).toFixed(2)}x jose.jwtVerify + local JWKS (${fmt(ns[`${alg}Jose`])}); cached ${fmt(ns[`${alg}Cached`])}`,
  );
}
const rs = ratio('rsCached', 'dbCached');
const es = ratio('esCached', 'dbCached');
const rsCore = ratio('rsCached', 'dbCoreCached');
const esCore = ratio('esCached', 'dbCoreCached');
console.log(
  `  cached IdP token / cached database key, same verifier (${fmt(ns.dbCached)}): RS256 ${rs.toFixed(2)}x, ES256 ${es.toFixed(2)}x`,
);
console.log(
  `  cached IdP token / cached database key, core's verifier alone (${fmt(ns.dbCoreCached)}): RS256 ${rsCore.toFixed(2)}x, ES256 ${esCore.toFixed(2)}x`,
);
console.log(
  `  goal: cached IdP token <= 2x a cached database key: ${Math.max(rs, es, rsCore, esCore) <= 2 ? 'met' : 'NOT met'}`,
);
