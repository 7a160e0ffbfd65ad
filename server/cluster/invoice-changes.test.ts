import { describe, expect, it } from 'vitest';
import { parseChange } from './invoice-changes';

describe('parseChange', () => {
  it("reads another instance's change", () => {
    expect(parseChange('inv_abc 3 PAID instance-b', 'instance-a')).toEqual({ invoiceId: 'inv_abc', version: 3, state: 'PAID' });
  });

  it("ignores this instance's own change (its bus heard it at commit) and a payload it cannot read", () => {
    expect(parseChange('inv_abc 3 PAID instance-a', 'instance-a')).toBeUndefined();
    for (const payload of ['', 'inv_abc', 'inv_abc 3 PAID', 'inv_abc three PAID instance-b', 'inv_abc -1 PAID instance-b']) {
      expect(parseChange(payload, 'instance-a')).toBeUndefined();
    }
  });
});
