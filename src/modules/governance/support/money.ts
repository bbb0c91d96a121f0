/** Up to 9,999,999.99: a decimal string of whole units and at most two decimals, no sign, no separators. */
export const MONEY_PATTERN = /^(\d{1,7})(?:\.(\d{1,2}))?$/;
export const MONEY_MESSAGE = 'must be a non-negative amount with at most two decimals and below 10,000,000, e.g. "250" or "1250.50"';

/** "1250.5" → 125050 cents; null when the text is not an amount MONEY_PATTERN accepts. */
export function parseCents(amount: string): number | null {
  const match = MONEY_PATTERN.exec(amount);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
