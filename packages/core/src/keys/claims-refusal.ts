// The words of a claims refusal, kept apart from the parser so that only what shows them
// (`decodeDatabaseKey`, `signDatabaseKey`) bundles them; the verifier refuses without text.
import { type ClaimsRefusal, Refusal } from './claims.js';

function describe(why: Refusal, detail: string | number | undefined): string {
  switch (why) {
    case Refusal.NotAnObject:
      return 'claims must be a JSON object';
    case Refusal.NumberOverflow:
      return 'a number overflows f64';
    case Refusal.DuplicateField:
      return `duplicate field \`${detail}\``;
    case Refusal.InvalidLength:
      return `invalid length ${detail}`;
    case Refusal.TrailingElements:
      return 'trailing elements';
    case Refusal.NotAStruct:
      return 'expected a struct';
    case Refusal.Unreadable:
      return 'unreadable';
    case Refusal.NotAString:
      return 'expected a string';
    case Refusal.NullExpiry:
      return 'null is refused (InvalidClaimFormat)';
    case Refusal.NotU64:
      return 'expected a non-negative integer (u64)';
    case Refusal.NoVariant:
      return 'data did not match any variant';
  }
}

/** The refusal as text: `path: why`, the path alone, or why alone for the claims object. */
export function claimsRefusalText(refusal: ClaimsRefusal): string {
  if (refusal.why === undefined) return refusal.at;
  const why = describe(refusal.why, refusal.detail);
  return refusal.at === '' ? why : `${refusal.at}: ${why}`;
}
