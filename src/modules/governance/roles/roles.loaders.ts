import DataLoader from 'dataloader';
import type { LoaderRegistry } from '../../../shared/loaders';
import { RoleTerm } from './roleTerm.entity';

/** Each membership's role terms, newest first: one SELECT for every membership of a response. */
export function roleTermsLoader(loaders: LoaderRegistry): DataLoader<string, RoleTerm[]> {
  return loaders.get('roleTermsOfMembership', () =>
    new DataLoader<string, RoleTerm[]>(async (membershipIds) => {
      const terms = await loaders.em.find(
        RoleTerm,
        { membership: { $in: [...membershipIds] } },
        { orderBy: { startedAt: 'desc', createdAt: 'desc', id: 'desc' } },
      );
      const byMembership = new Map<string, RoleTerm[]>(membershipIds.map((id) => [id, []]));
      for (const term of terms) byMembership.get(term.membership.id)?.push(term);
      return membershipIds.map((id) => byMembership.get(id)!);
    }),
  );
}
