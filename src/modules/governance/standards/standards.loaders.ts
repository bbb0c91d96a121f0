import DataLoader from 'dataloader';
import { childCountLoader, type LoaderRegistry } from '../../../shared/loaders';
import { CodeOfConduct, findCurrentCode } from './codeOfConduct.entity';
import { CommunityStandard } from './communityStandard.entity';

/** The current code of conduct, read once per request (whatever the number of communities asking). */
export function currentCodeLoader(registry: LoaderRegistry) {
  return registry.get<CodeOfConduct>('currentCodeOfConduct', () =>
    new DataLoader<string, CodeOfConduct>(async (keys) => {
      const current = await findCurrentCode(registry.em);
      // The migration inserts version 1 and nothing deletes versions: a missing code is a broken database.
      if (!current) throw new Error('No code of conduct: the standards migration has not run');
      return keys.map(() => current);
    }),
  );
}

export const currentCode = (registry: LoaderRegistry) => currentCodeLoader(registry).load('current');

/** Every community's additions, oldest first, one statement per batch (a community has at most MAX_ADDITIONS). */
export function additionsLoader(registry: LoaderRegistry) {
  return registry.get<CommunityStandard[]>('communityStandards', () =>
    new DataLoader<string, CommunityStandard[]>(async (communityIds) => {
      const rows = await registry.em.find(
        CommunityStandard,
        { community: { $in: [...communityIds] } },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      const byCommunity = new Map<string, CommunityStandard[]>();
      for (const row of rows) byCommunity.set(row.community.id, [...(byCommunity.get(row.community.id) ?? []), row]);
      return communityIds.map((id) => byCommunity.get(id) ?? []);
    }),
  );
}

export const additionCountLoader = (registry: LoaderRegistry) =>
  childCountLoader(registry, 'communityStandards', 'community_standard', 'community_id');
