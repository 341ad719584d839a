// Where the contract data lives: the repository's spec/ folder (see spec/README.md).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository's spec/ folder, with a trailing slash. */
export const SPEC_DIR = fileURLToPath(new URL('../../../spec/', import.meta.url));

/** The text of one contract file of spec/, e.g. `qdrant-rest-routes.txt`. */
export function readSpec(name: string): string {
  return readFileSync(`${SPEC_DIR}${name}`, 'utf8');
}
