// The words of a header refusal, kept apart from the reader so that only what shows them
// (`decodeDatabaseKey`) bundles them; the verifier refuses without text.
import { HeaderProblem, type HeaderRefusal } from './header.js';

/** The refusal as `decodeDatabaseKey` words it. */
export function headerRefusalText([why, detail]: HeaderRefusal): string {
  switch (why) {
    case HeaderProblem.NotAJwt:
      return 'not a JWT: expected header.payload.signature';
    case HeaderProblem.NotBase64Url:
      return 'header is not base64url';
    case HeaderProblem.NotAnObject:
      return 'header is not a JSON object';
    case HeaderProblem.UnknownAlg:
      return `unknown alg ${JSON.stringify(detail)}`;
    case HeaderProblem.NotAString:
      return `header ${detail} must be a string`;
    case HeaderProblem.NotAStringList:
      return `header ${detail} must be a list of strings`;
    case HeaderProblem.Jwk:
      return 'header jwk is not supported';
    case HeaderProblem.DuplicateField:
      return `duplicate header field ${detail}`;
    case HeaderProblem.NoAlg:
      return 'header has no alg';
  }
}
