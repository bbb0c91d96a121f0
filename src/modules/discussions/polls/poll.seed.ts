import type { Em } from '../../../db/orm';
import { Member } from '../../members/member.entity';
import { Post } from '../post.entity';
import { Thread } from '../thread.entity';
import { PollBallot } from './pollBallot.entity';
import { addPoll } from './commands/createPoll';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const THREAD_TITLE = 'Graphic novels: separate section or interfiled?';
const OPTIONS = ['Their own section', 'Interfiled with everything else', 'Fiction separate, nonfiction interfiled by subject'];
/** What the first repliers said in the thread (by reply order), as their votes; later replies take no side. */
const REPLY_VOTES = [0, 2, 2, 0];

/**
 * Demo data (inside the seed's transaction, after the discussions): a named, single-choice poll on the graphic-novels
 * thread, open for ten more days, with the repliers' votes as their replies put it and the asker's own.
 */
export async function seedThreadPoll(em: Em, now: number): Promise<void> {
  await em.flush();
  const thread = await em.findOne(Thread, { title: THREAD_TITLE });
  if (!thread) throw new Error('demo seed: the graphic-novels thread is missing (thread poll)');
  const { poll, options } = addPoll(em, thread, {
    question: 'Where do the graphic novels live in your library?',
    options: OPTIONS,
    multiple: false,
    anonymous: false,
    closesAt: new Date(now + 10 * DAY),
  });
  const posts = await em.find(Post, { thread }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const votes = new Map<string, number>([[thread.author.id, 1]]);
  posts.forEach((post, index) => {
    const choice = REPLY_VOTES[index];
    if (choice !== undefined && !votes.has(post.author.id)) votes.set(post.author.id, choice);
  });
  [...votes].forEach(([memberId, choice], index) => {
    const ballot = new PollBallot();
    ballot.poll = poll;
    ballot.member = em.getReference(Member, memberId);
    ballot.optionIds = [options[choice]!.id];
    ballot.createdAt = ballot.updatedAt = new Date(now - (votes.size - index) * HOUR);
    em.persist(ballot);
  });
}
