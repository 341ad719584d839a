// Static keys compared in constant time, as the cluster does (a length mismatch returns early
// there too, so only the length can leak). Comparing UTF-16 code units is equivalent to
// comparing UTF-8 bytes for the well-formed strings keys are, and needs no encoding per request.

/** A configured static key, compared in constant time. */
export class StaticKey {
  constructor(private readonly secret: string) {}

  /** Constant-time equality with `candidate`. */
  matches(candidate: string): boolean {
    const expected = this.secret;
    if (candidate.length !== expected.length) return false;
    let diff = 0;
    for (let i = 0; i < expected.length; i++)
      diff |= expected.charCodeAt(i) ^ candidate.charCodeAt(i);
    return diff === 0;
  }
}
