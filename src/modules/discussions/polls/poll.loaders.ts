import DataLoader from 'dataloader';
import type { LoaderRegistry } from '../../../shared/loaders';
import { Poll } from './poll.entity';
import { PollOption } from './pollOption.entity';

/*
 * Every poll read is batched: a feed of 100 threads with polls costs one statement for the polls, one for their
 * options, one for their counts and (when asked) one for the viewer's votes. The first three do not depend on the
 * viewer, so the subscribers of one live event share them (sharedGet).
 */

/** The poll of each thread, or null. */
export function pollOfThreadLoader(registry: LoaderRegistry) {
  return registry.sharedGet<Poll | null>('pollOfThread', () =>
    new DataLoader<string, Poll | null>(async (threadIds) => {
      const polls = await registry.em.find(Poll, { thread: { $in: [...threadIds] } });
      for (const poll of polls) registry.byId(Poll).prime(poll.id, poll);
      const byThread = new Map(polls.map((poll) => [poll.thread.id, poll]));
      return threadIds.map((id) => byThread.get(id) ?? null);
    }),
  );
}

/** Each poll's options, in their order. */
export function pollOptionsLoader(registry: LoaderRegistry) {
  return registry.sharedGet<PollOption[]>('pollOptions', () =>
    new DataLoader<string, PollOption[]>(async (pollIds) => {
      const options = await registry.em.find(PollOption, { poll: { $in: [...pollIds] } }, { orderBy: { poll: 'asc', position: 'asc' } });
      const byPoll = new Map<string, PollOption[]>();
      for (const option of options) {
        registry.byId(PollOption).prime(option.id, option);
        const list = byPoll.get(option.poll.id) ?? [];
        list.push(option);
        byPoll.set(option.poll.id, list);
      }
      return pollIds.map((id) => byPoll.get(id) ?? []);
    }),
  );
}

export interface PollCounts {
  voterCount: number;
  /** Votes per option id (options nobody chose are absent). */
  votes: Map<string, number>;
}

/**
 * Voters and votes per option of many polls in one statement: counted from the ballots each time (no counters to
 * drift), a ballot being one voter however many options it holds.
 */
export function pollCountsLoader(registry: LoaderRegistry) {
  return registry.sharedGet<PollCounts>('pollCounts', () =>
    new DataLoader<string, PollCounts>(async (pollIds) => {
      const rows = await registry.em.execute<{ poll_id: string; option_id: string | null; n: string | number }[]>(
        'select b.poll_id, o.option_id, count(distinct b.id) as n from poll_ballot b cross join lateral unnest(b.option_ids) as o(option_id) ' +
          'where b.poll_id in (?) group by grouping sets ((b.poll_id), (b.poll_id, o.option_id))',
        [[...pollIds]],
      );
      const byPoll = new Map<string, PollCounts>();
      for (const row of rows) {
        let counts = byPoll.get(row.poll_id);
        if (!counts) byPoll.set(row.poll_id, (counts = { voterCount: 0, votes: new Map() }));
        if (row.option_id === null) counts.voterCount = Number(row.n);
        else counts.votes.set(row.option_id, Number(row.n));
      }
      return pollIds.map((id) => byPoll.get(id) ?? { voterCount: 0, votes: new Map() });
    }),
  );
}

/** The viewer's own chosen option ids per poll (empty: not voted, or anonymous viewer). Viewer-specific. */
export function viewerPollVotesLoader(registry: LoaderRegistry) {
  return registry.get<string[]>('viewerPollVotes', () =>
    new DataLoader<string, string[]>(async (pollIds) => {
      const viewerId = registry.viewerId;
      if (!viewerId) return pollIds.map(() => []);
      const rows = await registry.em.execute<{ poll_id: string; option_ids: string[] }[]>(
        'select poll_id, option_ids from poll_ballot where member_id = ? and poll_id in (?)',
        [viewerId, [...pollIds]],
      );
      const byPoll = new Map(rows.map((row) => [row.poll_id, row.option_ids]));
      return pollIds.map((id) => byPoll.get(id) ?? []);
    }),
  );
}
