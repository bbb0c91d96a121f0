import type { Em } from '../../../db/orm';

/**
 * A community's standards version: `<code of conduct version>.<number of the community's additions>`, e.g. "3.2".
 * The code only gains versions and a community only gains additions, so the pair changes whenever either does and
 * never comes back: it names one text a member can accept.
 */
export const standardsVersion = (codeVersion: number, additions: number): string => `${codeVersion}.${additions}`;

export const STANDARDS_VERSION_PATTERN = /^\d+\.\d+$/;

/**
 * The community's current standards version, read with the caller's EntityManager: inside a command's transaction it
 * is what that transaction sees (joinCommunity and approveMembership record it as the membership becomes ACTIVE).
 */
export async function currentStandardsVersion(em: Em, communityId: string): Promise<string> {
  const [row] = await em.execute<{ code: number | null; additions: string | number }[]>(
    'select (select max(version) from code_of_conduct) as code, (select count(*) from community_standard where community_id = ?) as additions',
    [communityId],
  );
  return standardsVersion(Number(row?.code ?? 0), Number(row?.additions ?? 0));
}
