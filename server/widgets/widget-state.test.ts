import { describe, expect, it } from 'vitest';
import { widgetState } from './widget-state';

const EXPIRES = 1_000;

describe('widgetState', () => {
  it('is IN_PROGRESS before expiry while no invoice is COMPLETED', () => {
    expect(widgetState([], EXPIRES, EXPIRES - 1)).toBe('IN_PROGRESS');
    expect(widgetState(['PENDING_PAYMENT', 'ARCHIVED', 'PAID'], EXPIRES, EXPIRES - 1)).toBe('IN_PROGRESS');
  });

  it('is COMPLETED once one invoice is, expired or not', () => {
    expect(widgetState(['ARCHIVED', 'COMPLETED'], EXPIRES, 0)).toBe('COMPLETED');
    expect(widgetState(['COMPLETED'], EXPIRES, EXPIRES + 1)).toBe('COMPLETED');
  });

  it('is ARCHIVED at expiry with nothing paid', () => {
    expect(widgetState([], EXPIRES, EXPIRES)).toBe('ARCHIVED');
    expect(widgetState(['PENDING_PAYMENT', 'ARCHIVED'], EXPIRES, EXPIRES)).toBe('ARCHIVED');
  });

  it.each(['MEM_POOL_FOUND', 'PAID', 'PENDING_INTERVENTION'] as const)('stays IN_PROGRESS after expiry while an invoice is %s', (state) => {
    expect(widgetState(['ARCHIVED', state], EXPIRES, EXPIRES + 1)).toBe('IN_PROGRESS');
  });
});
