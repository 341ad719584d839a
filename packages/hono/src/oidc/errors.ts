/**
 * The error thrown for an identity-provider configuration that cannot work.
 *
 * @module
 */

/**
 * A bad OpenID Connect setting (issuer, audience, key URL or access mapping), found at start-up.
 * The message names the setting and what is wrong, never a secret.
 */
export class OidcConfigError extends Error {
  override name = 'OidcConfigError';
}
