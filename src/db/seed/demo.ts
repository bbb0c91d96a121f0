import type { Orm } from '../orm';

export interface DemoLogin {
  email: string;
  password: string;
}

/** Loads the demo data when the database has no members; returns the demo login, or null when it did nothing. */
export async function seedIfEmpty(_orm: Orm, _passwordHashCost: number): Promise<DemoLogin | null> {
  return null;
}
