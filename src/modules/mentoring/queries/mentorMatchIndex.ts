import type { Em } from '../../../db/orm';

/** What matching needs of one available mentor profile (accepting mentees, with a free place). */
export interface IndexedMentor {
  /** Dense number of this entry, for per-request typed arrays; reused after the mentor leaves the index. */
  readonly slot: number;
  readonly profileId: string;
  readonly memberId: string;
  readonly topics: readonly string[];
  /** The topics as dictionary numbers (MentorMatchIndex.topicId). */
  readonly topicIds: Int32Array;
  readonly capacity: number;
  readonly freePlaces: number;
  /** The stemmed words of bio and topics (`match_lexemes`) as dictionary numbers (MentorMatchIndex.lexemeId). */
  readonly lexemeIds: Int32Array;
}

interface ProfileRow {
  position: string;
  id: string | null;
  member_id: string;
  topics: string[];
  capacity: number;
  active_mentee_count: number;
  accepting_mentees: boolean;
  /** Joined by LEXEME_SEPARATOR: one string parses far faster than a text[] of thirty. */
  lexemes: string | null;
}

interface ChangeRow extends ProfileRow {
  profile_id: string;
}

/** The unit separator: the English parser never puts control characters in a lexeme. */
const LEXEME_SEPARATOR = '\x1f';

/** Strings numbered in order of first sight, so per-request lookups are typed-array reads. Never shrinks. */
class Dictionary {
  private readonly numbers = new Map<string, number>();
  get size(): number {
    return this.numbers.size;
  }
  get(word: string): number | undefined {
    return this.numbers.get(word);
  }
  add(word: string): number {
    let n = this.numbers.get(word);
    if (n === undefined) this.numbers.set(word, (n = this.numbers.size));
    return n;
  }
}

const PROFILE_FIELDS =
  'p.id, p.member_id, p.topics, p.capacity, p.active_mentee_count, p.accepting_mentees, ' +
  'array_to_string(tsvector_to_array(p.match_lexemes), chr(31)) as lexemes';

/**
 * Every available mentor profile, in memory, for scoring without a scan in PostgreSQL (see findMentorMatches).
 *
 * PostgreSQL stays the record: each matching request reads the change counter in its first statement and, when
 * the index is behind, replays `mentor_match_change` from the index's position, reading the changed profiles as
 * they are now. Positions are given under the counter row's lock, so they follow commit order: a reader that sees
 * position N sees every change up to N, and the index never skips one. An index further behind than the log keeps
 * (or starting empty) reloads every available profile in one statement. Each API instance has its own index; they
 * all follow the same log.
 *
 * Scoring reads plain arrays and typed arrays only (no hashing per candidate): candidates come from per-topic
 * arrays, goal hits are counted from per-lexeme arrays of slots (a word's mentors), and topics and lexemes are
 * dictionary numbers. Memory: one entry per available profile, with its topics and lexemes as Int32Arrays, plus
 * the per-topic and per-lexeme arrays (BENCHMARKS.md has the figure for 28,000 mentors).
 */
export class MentorMatchIndex {
  /** The log position the index reflects; -1 until the first load. */
  private position = -1;
  private readonly byProfile = new Map<string, IndexedMentor>();
  private readonly byMember = new Map<string, IndexedMentor>();
  /** Topic number → the mentors holding it, in no particular order (ties are broken by profile id). */
  private readonly byTopic: IndexedMentor[][] = [];
  /** Lexeme number → the slots of the mentors whose bio or topics have it (a goal word's mentors, at a glance). */
  private readonly byLexeme: number[][] = [];
  private readonly topicIds = new Dictionary();
  private readonly lexemeIds = new Dictionary();
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  private pulling: Promise<void> | null = null;

  /** One past the largest slot in use: the length of per-request arrays indexed by slot. */
  get slotCount(): number {
    return this.nextSlot;
  }

  /** The change-log position the index reflects now. */
  get currentPosition(): number {
    return this.position;
  }

  get size(): number {
    return this.byProfile.size;
  }

  /** Brings the index up to at least `position` (as read from mentor_match_counter by the caller). */
  async catchUp(em: Em, position: number): Promise<void> {
    // One pull at a time per instance; requests arriving meanwhile wait for it (and pull again if still behind).
    // Bounded: a counter that went backwards (a database restored from a backup) must not loop forever.
    for (let attempt = 0; this.position < position && attempt < 3; attempt++) {
      this.pulling ??= this.pull(em).finally(() => (this.pulling = null));
      await this.pulling;
    }
  }

  /** Topic numbers run from 0 to this count. */
  get topicCount(): number {
    return this.topicIds.size;
  }

  topicId(topic: string): number | undefined {
    return this.topicIds.get(topic);
  }

  lexemeId(lexeme: string): number | undefined {
    return this.lexemeIds.get(lexeme);
  }

  mentorsWithTopic(topic: string): readonly IndexedMentor[] {
    const id = this.topicIds.get(topic);
    return (id !== undefined && this.byTopic[id]) || [];
  }

  /** Slots of the mentors whose bio or topics have this lexeme. */
  slotsWithLexeme(lexeme: string): readonly number[] {
    const id = this.lexemeIds.get(lexeme);
    return (id !== undefined && this.byLexeme[id]) || [];
  }

  mentorOf(memberId: string): IndexedMentor | undefined {
    return this.byMember.get(memberId);
  }

  private async pull(em: Em): Promise<void> {
    if (this.position < 0) return this.reload(em);
    const rows = await em.execute<ChangeRow[]>(
      `select c.position, ${PROFILE_FIELDS}, c.profile_id
       from mentor_match_change c left join mentor_profile p on p.id = c.profile_id
       where c.position > ? order by c.position`,
      [this.position],
    );
    // A position without its row means the log cannot say what changed: the index fell further behind than the log
    // keeps, a bulk load bumped the counter alone, or the counter was reset (nothing newer at all). Start over.
    if (rows.length === 0 || rows.some((row, i) => Number(row.position) !== this.position + 1 + i)) return this.reload(em);
    // Each row carries the profile as it is now: a profile changed several times is applied once.
    const latest = new Map<string, ChangeRow>();
    for (const row of rows) latest.set(row.profile_id, row);
    for (const [profileId, row] of latest) {
      this.remove(profileId);
      this.add(row);
    }
    this.position = Number(rows.at(-1)!.position);
  }

  private async reload(em: Em): Promise<void> {
    // One statement, one snapshot: the counter and the profiles agree. The left join keeps the counter's row when
    // no profile is available.
    const rows = await em.execute<ProfileRow[]>(
      `select coalesce(c.position, 0) as position, ${PROFILE_FIELDS}
       from (select max(position) as position from mentor_match_counter) c
       left join mentor_profile p on p.accepting_mentees and p.active_mentee_count < p.capacity`,
    );
    this.byProfile.clear();
    this.byMember.clear();
    this.byTopic.length = 0;
    this.byLexeme.length = 0;
    this.freeSlots.length = 0;
    this.nextSlot = 0;
    for (const row of rows) this.add(row);
    this.position = Number(rows[0]?.position ?? 0);
  }

  private add(row: ProfileRow): void {
    if (!row.id || !row.accepting_mentees || row.active_mentee_count >= row.capacity) return;
    const slot = this.freeSlots.pop() ?? this.nextSlot++;
    const topics = [...new Set(row.topics)];
    // tsvector_to_array gives each lexeme once, so a goal lexeme counts at most once per mentor.
    const lexemes = row.lexemes ? row.lexemes.split(LEXEME_SEPARATOR) : [];
    const mentor: IndexedMentor = {
      slot,
      profileId: row.id,
      memberId: row.member_id,
      topics: row.topics,
      topicIds: Int32Array.from(topics, (topic) => this.topicIds.add(topic)),
      capacity: row.capacity,
      freePlaces: row.capacity - row.active_mentee_count,
      lexemeIds: Int32Array.from(lexemes, (lexeme) => this.lexemeIds.add(lexeme)),
    };
    this.byProfile.set(mentor.profileId, mentor);
    this.byMember.set(mentor.memberId, mentor);
    for (const id of mentor.topicIds) (this.byTopic[id] ??= []).push(mentor);
    for (const id of mentor.lexemeIds) (this.byLexeme[id] ??= []).push(slot);
  }

  private remove(profileId: string): void {
    const mentor = this.byProfile.get(profileId);
    if (!mentor) return;
    this.byProfile.delete(profileId);
    if (this.byMember.get(mentor.memberId) === mentor) this.byMember.delete(mentor.memberId);
    for (const id of mentor.topicIds) removeFrom(this.byTopic[id]!, mentor);
    for (const id of mentor.lexemeIds) removeFrom(this.byLexeme[id]!, mentor.slot);
    this.freeSlots.push(mentor.slot);
  }
}

/** Order within a list does not matter: the last entry takes the removed one's place. */
function removeFrom<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at < 0) return;
  list[at] = list[list.length - 1]!;
  list.pop();
}
