/**
 * A JWT with any payload and a signature no secret makes: what a hostile or broken key looks
 * like to the workbench, which decodes without verifying. `payload` is JSON text (to carry
 * integers past 2^53 exactly) or a value to serialise.
 */
export function unsignedKey(payload: string | object): string {
  const json = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const part = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  return `${part('{"alg":"HS256","typ":"JWT"}')}.${part(json)}.${part('not-a-signature')}`;
}

/** An identity provider's token (any asymmetric `alg`) with a made-up signature: decoded, never verified. */
export function identityToken(claims: object, alg = 'RS256'): string {
  const part = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  return `${part(JSON.stringify({ alg, kid: 'k1', typ: 'at+jwt' }))}.${part(JSON.stringify(claims))}.${part('signature')}`;
}
