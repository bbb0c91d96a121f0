import DataLoader from 'dataloader';
import { childCountLoader, childPageLoader, CREATED_ORDER, type LoaderRegistry } from '../../../shared/loaders';
import type { Page } from '../../../shared/pagination';
import { TimePoll } from './timePoll.entity';
import { TimePollOption } from './timePollOption.entity';
import type { TimePollAnswer } from './timePollVote.entity';

export interface AnswerCounts {
  yes: number;
  ifNeeded: number;
  no: number;
}
const NO_ANSWERS: AnswerCounts = { yes: 0, ifNeeded: 0, no: 0 };

/** One page of time polls (newest first) for many communities, one statement per batch. */
export function timePollsPageLoader(registry: LoaderRegistry, page: Page) {
  return childPageLoader<TimePoll>(
    registry,
    'timePolls',
    { entity: TimePoll, table: 'time_poll', parentColumn: 'community_id', order: CREATED_ORDER, direction: 'desc' },
    page,
  );
}

export const timePollCountLoader = (registry: LoaderRegistry) => childCountLoader(registry, 'timePolls', 'time_poll', 'community_id');

/** The options of many polls in one statement, in time order (the creator's order among equal starts). */
export function pollOptionsLoader(registry: LoaderRegistry) {
  return registry.get<TimePollOption[]>('timePollOptions', () =>
    new DataLoader<string, TimePollOption[]>(async (pollIds) => {
      const rows = await registry.em.find(TimePollOption, { poll: { $in: [...pollIds] } }, { orderBy: { startsAt: 'asc', position: 'asc' } });
      const byPoll = new Map<string, TimePollOption[]>();
      for (const row of rows) {
        registry.byId(TimePollOption).prime(row.id, row);
        byPoll.set(row.poll.id, [...(byPoll.get(row.poll.id) ?? []), row]);
      }
      return pollIds.map((id) => byPoll.get(id) ?? []);
    }),
  );
}

/** YES / IF_NEEDED / NO counts of many options (of any number of polls) in one GROUP BY statement. */
export function answerCountsLoader(registry: LoaderRegistry) {
  return registry.get<AnswerCounts>('timePollAnswerCounts', () =>
    new DataLoader<string, AnswerCounts>(async (optionIds) => {
      const rows = await registry.em.execute<{ option_id: string; yes: string; if_needed: string; no: string }[]>(
        `select option_id, count(*) filter (where answer = 'YES') as yes, count(*) filter (where answer = 'IF_NEEDED') as if_needed, ` +
          `count(*) filter (where answer = 'NO') as no from time_poll_vote where option_id in (?) group by option_id`,
        [[...optionIds]],
      );
      const counts = new Map(rows.map((r) => [r.option_id, { yes: Number(r.yes), ifNeeded: Number(r.if_needed), no: Number(r.no) }]));
      return optionIds.map((id) => counts.get(id) ?? NO_ANSWERS);
    }),
  );
}

/** The viewer's answer to many options in one statement (anonymous viewers: none, no query). */
export function viewerAnswerLoader(registry: LoaderRegistry) {
  return registry.get<TimePollAnswer | null>('timePollViewerAnswer', () =>
    new DataLoader<string, TimePollAnswer | null>(async (optionIds) => {
      const viewerId = registry.viewerId;
      if (!viewerId) return optionIds.map(() => null);
      const rows = await registry.em.execute<{ option_id: string; answer: TimePollAnswer }[]>(
        'select option_id, answer from time_poll_vote where member_id = ? and option_id in (?)',
        [viewerId, [...optionIds]],
      );
      const answers = new Map(rows.map((r) => [r.option_id, r.answer]));
      return optionIds.map((id) => answers.get(id) ?? null);
    }),
  );
}

/** How many members answered each of many polls, one statement. */
export function respondentCountLoader(registry: LoaderRegistry) {
  return registry.get<number>('timePollRespondents', () =>
    new DataLoader<string, number>(async (pollIds) => {
      const rows = await registry.em.execute<{ poll_id: string; n: string }[]>(
        'select poll_id, count(distinct member_id) as n from time_poll_vote where poll_id in (?) group by poll_id',
        [[...pollIds]],
      );
      const counts = new Map(rows.map((r) => [r.poll_id, Number(r.n)]));
      return pollIds.map((id) => counts.get(id) ?? 0);
    }),
  );
}
