// A U+FEFF (byte order mark) inside a JSON string of a token is a character like any other:
// serde_json keeps it (src/read.rs `parse_str` copies the bytes of a string as they are), so the
// cluster grants `\u{FEFF}docs`, not `docs`. TextDecoder drops a leading BOM unless told not to,
// which made the claims reader read such a name as `docs` (a key for another collection).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorizeRequest } from '../src/access/index.js';
import { createKeyVerifier, decodeDatabaseKey } from '../src/keys/index.js';
import { parseJson } from '../src/keys/json.js';

const HEADER = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const sign = (payload: string, secret = 'secret'): string => {
  const input = `${HEADER}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

describe('a byte order mark inside a JSON string', () => {
  it('is kept at the start of a string, after an escape and in long strings', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(parseJson(bytes('"\u{FEFF}a"'))).toBe('\u{FEFF}a');
    expect(parseJson(bytes('"\\n\u{FEFF}é"'))).toBe('\n\u{FEFF}é');
    const long = `\u{FEFF}${'x'.repeat(300)}`;
    expect(parseJson(bytes(`"${long}"`))).toBe(long);
    // Before the value it is no JSON whitespace: serde_json refuses it.
    expect(parseJson(bytes('\u{FEFF}"a"'))).toBeUndefined();
  });

  it('is part of a granted collection name: the key does not grant `docs`', async () => {
    const token = sign('{"access":[{"collection":"\u{FEFF}docs","access":"rw"}]}');
    const decoded = decodeDatabaseKey(token);
    expect(decoded.ok && decoded.access).toEqual({
      kind: 'collections',
      collections: [{ collection: '\u{FEFF}docs', access: 'rw' }],
    });
    const verifier = createKeyVerifier({ apiKey: 'secret', jwtRbac: true, cache: false });
    const verified = await verifier.verifyKey(token);
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(
      authorizeRequest(verified.access, { method: 'PUT', path: '/collections/docs/points' }),
    ).toEqual({
      ok: false,
      status: 403,
      message: 'Forbidden: Access to collection docs is required',
    });
  });
});
