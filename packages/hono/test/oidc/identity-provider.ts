// A real OpenID Provider (panva/oidc-provider, OpenID Certified) on 127.0.0.1, issuing JWT access
// tokens with client credentials for the resource "qdrant". Each client carries an org_id that
// the provider puts in its tokens, as an IdP's custom claim would.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

export const RESOURCE = 'https://qdrant.example.com';
export const AUDIENCE = 'qdrant';

export interface IdentityProvider {
  readonly issuer: string;
  /** A client-credentials access token for `clientId`, signed with `alg`. */
  token(clientId: string, alg?: 'ES256' | 'RS256'): Promise<string>;
  /** Requests received at the provider's JWKS endpoint. */
  readonly jwksRequests: () => number;
  close(): Promise<void>;
}

export const CLIENTS = [
  { client_id: 'acme-app', client_secret: 'acme-secret-0123456789abcdef0123', org_id: 'acme' },
  { client_id: 'globex-app', client_secret: 'globex-secret-0123456789abcdef01', org_id: 'globex' },
  {
    client_id: 'bad-org-app',
    client_secret: 'badorg-secret-0123456789abcdef01',
    org_id: '../acme',
  },
  { client_id: 'no-org-app', client_secret: 'noorg-secret-0123456789abcdef012' },
] as const;

async function privateJwk(alg: 'ES256' | 'RS256'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: `idp-${alg.toLowerCase()}` };
}

export async function startIdentityProvider(): Promise<IdentityProvider> {
  const keys = await Promise.all([privateJwk('ES256'), privateJwk('RS256')]);
  let jwksRequests = 0;
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/jwks')) jwksRequests++;
    handler?.(req, res);
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let tokenAlg: 'ES256' | 'RS256' = 'ES256';
  const provider = new Provider(issuer, {
    clients: CLIENTS.map((c) => ({
      ...c,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    extraClientMetadata: { properties: ['org_id'] },
    jwks: { keys },
    scopes: ['qdrant'],
    features: {
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'qdrant',
          audience: AUDIENCE,
          accessTokenTTL: 300,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: tokenAlg } },
        }),
      },
    },
    extraTokenClaims: (ctx: { oidc?: { client?: { org_id?: string } } }) => {
      const org = ctx.oidc?.client?.org_id;
      return org === undefined ? undefined : { org_id: org };
    },
  });
  handler = provider.callback();

  async function token(clientId: string, alg: 'ES256' | 'RS256' = 'ES256'): Promise<string> {
    const client = CLIENTS.find((c) => c.client_id === clientId);
    if (!client) throw new Error(`no client ${clientId}`);
    tokenAlg = alg;
    const response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${client.client_id}:${client.client_secret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'qdrant',
        resource: RESOURCE,
      }),
    });
    const body = (await response.json()) as {
      access_token?: string;
      error?: string;
      error_description?: string;
    };
    if (!response.ok || body.access_token === undefined)
      throw new Error(`token endpoint: ${response.status} ${body.error} ${body.error_description}`);
    return body.access_token;
  }

  return {
    issuer,
    token,
    jwksRequests: () => jwksRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
