/** The value of an ASCII hex digit (`0-9`, `A-F`, `a-f`), -1 for anything else (`undefined` too). */
export function hexDigit(code: number | undefined): number {
  if (code === undefined) return -1;
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}
