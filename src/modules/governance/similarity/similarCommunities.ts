import type { CommandScope } from '../../../context';
import { rankSimilarCommunities, type CommunityNeed } from './rankSimilarCommunities';
import { SimilarCommunity } from './similarity.types';

/**
 * `rankSimilarCommunities` as GraphQL objects, for any field that shows similar communities (the staff duplicate
 * check, `CommunityProposal.similarCommunities`): the communities are loaded through the request's batched loader.
 * The caller decides who may see them; nothing here reads a RESTRICTED community's content.
 */
export async function similarCommunities(
  scope: Pick<CommandScope, 'em' | 'actor'>,
  need: CommunityNeed,
  options: { first: number; excludeCommunityIds?: readonly string[] },
): Promise<SimilarCommunity[]> {
  const matches = await rankSimilarCommunities(scope.em, need, options);
  const communities = await Promise.all(matches.map((match) => scope.actor.community(match.communityId)));
  return matches.map((match, i) => Object.assign(new SimilarCommunity(), { community: communities[i]!, score: match.score, reasons: match.reasons }));
}
