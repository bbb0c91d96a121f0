import type { Em } from '../../../db/orm';
import { MATCH_POSITION_SQL } from '../mentorProfile.entity';

/** What matching needs of one available mentor profile (accepting mentees, with a free place). */
export interface IndexedMentor {
  /** Dense number of this entry, for per-request typed arrays; reused once the lexeme arrays no longer hold it. */
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
  /** False once removed: the per-topic arrays drop removed entries lazily (see PostingLists). */
  alive: boolean;
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

/** Strings numbered in order of first sight, so per-request lookups are typed-array reads; replaced on reload. */
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
 * dictionary numbers. Removals are lazy in both kinds of arrays, so catching up costs little per change. Memory: one entry per available profile, with its topics and lexemes as Int32Arrays, plus
 * the per-topic and per-lexeme arrays (BENCHMARKS.md has the figure for 28,000 mentors).
 */
export class MentorMatchIndex {
  /** The log position the index reflects; -1 until the first load (and when a reload is due). */
  private position = -1;
  private readonly byProfile = new Map<string, IndexedMentor>();
  private readonly byMember = new Map<string, IndexedMentor>();
  /** Topic number → the mentors holding it, in no particular order (ties are broken by profile id). */
  private readonly byTopic = new PostingLists();
  /**
   * Lexeme number → the slots of the mentors whose bio or topics have it (a goal word's mentors, at a glance).
   * Removal leaves a slot in these arrays and retires it: it is not reused until compactLexemes() has taken it out
   * of every array, so counting goal hits for a retired slot is harmless (nobody reads them) and needs no check.
   */
  private byLexeme: number[][] = [];
  private slotAlive: number[] = [];
  private retiredSlots: number[] = [];
  private topicIds = new Dictionary();
  private lexemeIds = new Dictionary();
  /** Topic and lexeme numbers held by the mentors in the index, to tell when the dictionaries are mostly dead. */
  private liveWords = 0;
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
    // Positions only grow on one database: a lower one means the database is not the one the index followed
    // (restored from a backup, failed over, its counter reset), so nothing the index holds can be trusted.
    if (position < this.position) this.invalidate();
    // One pull at a time per instance; requests arriving meanwhile wait for it (and pull again if still behind).
    for (let attempt = 0; this.position < position && attempt < 3; attempt++) {
      this.pulling ??= this.pull(em).finally(() => (this.pulling = null));
      await this.pulling;
    }
  }

  /** The next catch-up reloads everything: the index was found to disagree with PostgreSQL. */
  invalidate(): void {
    this.position = -1;
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

  /** Mentors holding the topic; entries with `alive` false are to be skipped. */
  mentorsWithTopic(topic: string): readonly IndexedMentor[] {
    const id = this.topicIds.get(topic);
    return id === undefined ? [] : this.byTopic.get(id);
  }

  /** Slots of the mentors whose bio or topics have this lexeme, retired slots included (see byLexeme). */
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
    // Words nobody holds any more stay numbered until a reload; profiles rewritten over and over (hostile or not)
    // must not grow the dictionaries for ever.
    if (this.topicIds.size + this.lexemeIds.size > 2 * this.liveWords + 10_000) return this.reload(em);
  }

  private async reload(em: Em): Promise<void> {
    // One statement, one snapshot: the counter and the profiles agree. The left join keeps the counter's row when
    // no profile is available.
    const rows = await em.execute<ProfileRow[]>(
      `select c.position, ${PROFILE_FIELDS}
       from (select ${MATCH_POSITION_SQL} as position) c
       left join mentor_profile p on p.accepting_mentees and p.active_mentee_count < p.capacity`,
    );
    for (const mentor of this.byProfile.values()) mentor.alive = false;
    this.byProfile.clear();
    this.byMember.clear();
    this.byTopic.clear();
    this.byLexeme = [];
    this.slotAlive = [];
    this.retiredSlots = [];
    this.topicIds = new Dictionary();
    this.lexemeIds = new Dictionary();
    this.liveWords = 0;
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
      alive: true,
    };
    this.byProfile.set(mentor.profileId, mentor);
    this.byMember.set(mentor.memberId, mentor);
    for (const id of mentor.topicIds) this.byTopic.add(id, mentor);
    for (const id of mentor.lexemeIds) (this.byLexeme[id] ??= []).push(slot);
    this.slotAlive[slot] = 1;
    this.liveWords += mentor.topicIds.length + mentor.lexemeIds.length;
  }

  private remove(profileId: string): void {
    const mentor = this.byProfile.get(profileId);
    if (!mentor) return;
    mentor.alive = false;
    this.byProfile.delete(profileId);
    if (this.byMember.get(mentor.memberId) === mentor) this.byMember.delete(mentor.memberId);
    for (const id of mentor.topicIds) this.byTopic.removed(id);
    this.liveWords -= mentor.topicIds.length + mentor.lexemeIds.length;
    this.slotAlive[mentor.slot] = 0;
    this.retiredSlots.push(mentor.slot);
    if (this.retiredSlots.length > Math.max(1000, this.byProfile.size / 4)) this.compactLexemes();
  }

  /** Takes retired slots out of every lexeme array, in one pass over them all, and frees them for reuse. */
  private compactLexemes(): void {
    for (let id = 0; id < this.byLexeme.length; id++) {
      const slots = this.byLexeme[id];
      if (slots) this.byLexeme[id] = slots.filter((slot) => this.slotAlive[slot] === 1);
    }
    this.freeSlots.push(...this.retiredSlots);
    this.retiredSlots = [];
  }
}

/**
 * Arrays of mentors by topic number. Removal only counts: removed mentors (`alive` false) stay in the array until
 * they are a quarter of it, when it is compacted in one pass. Finding a mentor in an array of 13,000 on every
 * removal (a topic half the mentors hold) would make catching up with many changes stall the event loop.
 */
class PostingLists {
  private lists: IndexedMentor[][] = [];
  private dead: number[] = [];

  get(id: number): readonly IndexedMentor[] {
    return this.lists[id] ?? [];
  }

  add(id: number, mentor: IndexedMentor): void {
    (this.lists[id] ??= []).push(mentor);
    this.dead[id] ??= 0;
  }

  removed(id: number): void {
    const list = this.lists[id];
    if (!list) return;
    const dead = (this.dead[id] ?? 0) + 1;
    if (dead * 4 < list.length) {
      this.dead[id] = dead;
      return;
    }
    this.lists[id] = list.filter((mentor) => mentor.alive);
    this.dead[id] = 0;
  }

  clear(): void {
    this.lists = [];
    this.dead = [];
  }
}
