/**
 * Exact decimal arithmetic for the sandbox buttons (pay half, pay 1.5×, pay
 * the rest). Amounts are decimal strings; a float would turn 0.1 + 0.2 into a
 * payment the invoice does not expect.
 */

/** "1.25" with 18 decimals → 1250000000000000000n. Rejects more decimals than the currency has. */
export function toUnits(decimal: string, decimals: number): bigint {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!m) throw new Error(`"${decimal}" is not a decimal amount`);
  const fraction = m[2] ?? '';
  if (fraction.length > decimals) throw new Error(`"${decimal}" has more than ${decimals} decimals`);
  return BigInt(m[1]! + fraction.padEnd(decimals, '0'));
}

export function fromUnits(units: bigint, decimals: number): string {
  const digits = units.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** amount × numerator / denominator, rounded down to the currency's smallest unit. */
export function scale(decimal: string, decimals: number, numerator: bigint, denominator: bigint): string {
  return fromUnits((toUnits(decimal, decimals) * numerator) / denominator, decimals);
}
