import {
  formatBytes,
  formatCost,
  formatCostDelta,
  formatDateTime,
  formatDuration,
  shortDigest,
} from './format';

describe('format', () => {
  it('formats costs, and shows — without an amount', () => {
    expect(formatCost(1610.36)).toBe('$1,610.36');
    expect(formatCost(0.06, 'USD')).toBe('$0.06');
    expect(formatCost(12, 'EUR')).toBe('€12.00');
    expect(formatCost(null)).toBe('—');
    expect(formatCost(undefined)).toBe('—');
  });

  it('signs cost differences', () => {
    expect(formatCostDelta(40)).toBe('+$40.00');
    expect(formatCostDelta(-3.5)).toBe('-$3.50');
    expect(formatCostDelta(0)).toBe('±$0.00');
  });

  it('formats durations, and shows — when none was recorded', () => {
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(2500)).toBe('2.5 s');
    expect(formatDuration(65_000)).toBe('1 min 5 s');
  });

  it('formats sizes, dates and digests', () => {
    expect(formatBytes(748)).toBe('748 B');
    expect(formatBytes(20547)).toBe('20.1 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
    expect(formatDateTime('2026-11-04T12:30:00.000Z')).toBe(
      '2026-11-04 12:30:00 UTC',
    );
    expect(formatDateTime('yesterday')).toBe('yesterday');
    expect(shortDigest('sha256:3860be3884d8e808911b')).toBe('3860be3884d8');
  });
});
