import { describe, expect, it } from 'vitest';
import { formatBytes, formatRate, formatTimeLeft, fraction } from '../../src/renderer/src/format';

describe('formatting for people', () => {
  it('formats rates, time left, fractions and sizes', () => {
    expect(formatRate(0)).toBe('');
    expect(formatRate(2)).toBe('2/s');
    expect(formatRate(2.46)).toBe('2.5/s');
    expect(formatRate(27.4)).toBe('27/s');
    expect(formatTimeLeft(null)).toBeNull();
    expect(formatTimeLeft(30)).toBe('less than a minute left');
    expect(formatTimeLeft(240)).toBe('about 4 min left');
    expect(formatTimeLeft(7500)).toBe('about 2 h 5 min left');
    expect(formatTimeLeft(7200)).toBe('about 2 h left');
    expect(fraction(5, 0)).toBe(1);
    expect(fraction(5, 10)).toBe(0.5);
    expect(fraction(15, 10)).toBe(1);
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(2_400_000)).toBe('2.4 MB');
    expect(formatBytes(123_000_000)).toBe('123 MB');
  });
});
