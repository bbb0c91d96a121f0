/** What the best-option rule looks at for one option. */
export interface OptionTally {
  id: string;
  startsAt: Date;
  /** The creator's order: the last tie-break, between options that start at the same instant. */
  position: number;
  yes: number;
  ifNeeded: number;
}

/**
 * The contract's order of options, best first: the most YES + IF_NEEDED (who can come at all), then the most YES
 * (who would rather), then the earliest; options starting together keep the creator's order.
 */
export function compareOptions(a: OptionTally, b: OptionTally): number {
  return (
    b.yes + b.ifNeeded - (a.yes + a.ifNeeded) ||
    b.yes - a.yes ||
    a.startsAt.getTime() - b.startsAt.getTime() ||
    a.position - b.position
  );
}

/** The best option of a poll (see compareOptions); null for a poll without options. */
export function bestOption<T extends OptionTally>(options: readonly T[]): T | null {
  return options.reduce<T | null>((best, option) => (best === null || compareOptions(option, best) < 0 ? option : best), null);
}
