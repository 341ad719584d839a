import { describe, expect, it } from 'vitest';
import {
  formatRateLimit,
  leaseSizeFor,
  parseRateLimit,
  parseRateLimitOverrides,
} from '../../src/rate-limit/policy.js';

describe('rate limit policies', () => {
  it('reads <requests>/<unit>', () => {
    expect(parseRateLimit('100/s')).toEqual({ quota: 100, windowSeconds: 1 });
    expect(parseRateLimit(' 6000 / min ')).toEqual({ quota: 6000, windowSeconds: 60 });
    expect(parseRateLimit('50000/h')).toEqual({ quota: 50000, windowSeconds: 3600 });
    expect(parseRateLimit('7/second')).toEqual({ quota: 7, windowSeconds: 1 });
    for (const bad of [
      '',
      '100',
      '0/s',
      '-1/s',
      '1.5/s',
      '100/d',
      '100/S',
      '1e3/s',
      '99999999999/s',
      '100/s/s',
    ]) {
      expect(() => parseRateLimit(bad), bad).toThrow(RangeError);
    }
    expect(formatRateLimit(parseRateLimit('6000/minute'))).toBe('6000/min');
  });

  it('reads per-subject overrides as a JSON object, `off` exempting a subject', () => {
    const overrides = parseRateLimitOverrides('{"tenant-a":"1000/min","batch":"off"}');
    expect(overrides.get('tenant-a')).toEqual({ quota: 1000, windowSeconds: 60 });
    expect(overrides.get('batch')).toBeNull();
    expect(overrides.has('tenant-b')).toBe(false);
    for (const bad of ['', '[]', 'null', '{"a":5}', '{"a":"fast"}', '{"a":"off","b":"0/s"}']) {
      expect(() => parseRateLimitOverrides(bad), bad).toThrow(RangeError);
    }
  });

  it('leases are small against the limit: 1 at 5/s, never over a twentieth of the quota', () => {
    expect(leaseSizeFor(parseRateLimit('5/s'))).toBe(1);
    expect(leaseSizeFor(parseRateLimit('10/s'))).toBe(1);
    expect(leaseSizeFor(parseRateLimit('100/s'))).toBe(5);
    expect(leaseSizeFor(parseRateLimit('6000/min'))).toBe(5);
    expect(leaseSizeFor(parseRateLimit('1000000/s'))).toBe(1000);
    expect(leaseSizeFor(parseRateLimit('1000/h'))).toBe(1);
  });
});
