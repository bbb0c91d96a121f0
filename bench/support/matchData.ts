import { Client } from 'pg';

/** Sizes and shapes of the mentor-matching data set. */
export const MATCH_DATASET = {
  mentors: 50_000,
  communities: 1_000,
  /** Zipf exponent of topic popularity (1: the classic word-frequency law). */
  zipf: 1,
  /** Each profile holds 1..6 topics (duplicates drawn twice collapse, as the API normalises them). */
  maxTopicsPerProfile: 6,
  /** Capacities drawn from this list (0 = takes nobody at the moment). */
  capacities: [0, 1, 1, 2, 2, 2, 3, 3, 4, 5, 8, 10],
  /** Share of profiles accepting mentees. */
  acceptingShare: 0.85,
  /** Bio length in words: 20..59. */
  bioWords: [20, 60] as const,
} as const;

const AREAS = [
  'information literacy', 'digital tools', 'reading promotion', 'diversity equity inclusion', 'teacher collaboration',
  'collection development', 'cataloguing', 'makerspaces', 'coding clubs', 'copyright', 'open access', 'data management',
  'assessment', 'curriculum design', 'leadership', 'advocacy', 'grant writing', 'youth services', 'accessibility',
  'media literacy', 'early literacy', 'storytime', 'graphic novels', 'book clubs', 'research skills', 'citation management',
  'misinformation', 'archives', 'preservation', 'metadata', 'library systems', 'volunteer management', 'budgeting',
  'marketing', 'community partnerships', 'school board relations', 'remote learning', 'instructional design',
  'stem programming', 'family engagement',
];
const FACETS = ['', 'for beginners', 'in primary schools', 'in secondary schools', 'on a small budget'];

/** 200 topics in popularity order (rank 1 first): the plain areas, then their facets. */
export const TOPICS: string[] = FACETS.flatMap((facet) => AREAS.map((area) => (facet ? `${area} ${facet}` : area)));

/** Words bios and goals are made of, most frequent first (drawn with a skew towards the front). */
export const VOCABULARY = (
  'school library librarian students teachers reading books classroom research digital literacy information community ' +
  'programs collaboration projects media instruction learning inquiry curriculum assessment standards technology ' +
  'collection families teens children young adults writing stories authors poetry science history art music games ' +
  'coding robotics makerspace outreach events partnerships public academic archives preservation metadata cataloguing ' +
  'systems migration training mentoring onboarding volunteers staff management budget grants advocacy leadership policy ' +
  'copyright licensing open access resources databases citation evaluation sources misinformation news podcasts video ' +
  'storytelling graphic novels diverse voices inclusion equity accessibility disability multilingual translation ' +
  'newcomers refugees rural urban remote online hybrid workshops conferences presenting publishing peer coaching ' +
  'design spaces furniture signage displays marketing social networks newsletters surveys statistics data analysis ' +
  'spreadsheets visualisation privacy security passwords devices tablets laptops software apps platforms portals ' +
  'website accessibility captions audiobooks ebooks lending circulation weeding inventory procurement vendors ' +
  'contracts negotiation board council governance strategy planning evaluation impact outcomes reporting funding ' +
  'donors fundraising sponsorship events festivals competitions awards clubs chess debate drama film photography ' +
  'heritage genealogy local studies maps newspapers microfilm digitisation scanning transcription crowdsourcing ' +
  'wellbeing mindfulness anxiety inclusion belonging identity culture language indigenous knowledge ethics ' +
  'philosophy critical thinking argument persuasion rhetoric vocabulary phonics comprehension fluency dyslexia ' +
  'differentiation scaffolding feedback rubrics portfolios exams revision homework tutoring transition university ' +
  'careers employability apprenticeships internships leadership succession retirement burnout workload time'
).split(' ');

/** A small deterministic PRNG (mulberry32), so every run generates the same requests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A topic drawn with Zipf probabilities, like the profiles' topics. */
export function zipfTopic(random: () => number): string {
  const weights = TOPICS.map((_, i) => 1 / (i + 1) ** MATCH_DATASET.zipf);
  const total = weights.reduce((a, b) => a + b, 0);
  let u = random() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u <= 0) return TOPICS[i]!;
  }
  return TOPICS.at(-1)!;
}

export interface MatchInput {
  topics: string[];
  goals?: string;
  first: number;
}

export const INPUT_COUNT = 300;

/** Varied requests: 1–3 topics drawn like the profiles' (Zipf), goals in 70% of them, `first` mostly 10. */
export function makeInputs(random: () => number): MatchInput[] {
  const inputs: MatchInput[] = [];
  for (let i = 0; i < INPUT_COUNT; i++) {
    const topicCount = random() < 0.5 ? 1 : random() < 0.7 ? 2 : 3;
    const topics = new Set<string>();
    while (topics.size < topicCount) topics.add(zipfTopic(random));
    const input: MatchInput = { topics: [...topics], first: random() < 0.8 ? 10 : random() < 0.75 ? 20 : 50 };
    if (random() < 0.7) {
      const words = Array.from({ length: 4 + Math.floor(random() * 9) }, () => VOCABULARY[Math.floor(VOCABULARY.length * random() ** 1.5)]!);
      input.goals = `I want to get better at ${words.join(' ')} and share what works.`;
    }
    inputs.push(input);
  }
  return inputs;
}

const literal = (values: readonly string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]::text[]`;

/**
 * Set-based seed, one transaction: each table is one INSERT ... SELECT over generate_series (random() after
 * setseed, so the data set is the same every run apart from uuids). Profiles go through the real triggers, which
 * build each profile's match lexemes and the topic statistics.
 */
const seedSql = () => [
  `select setseed(0.42)`,
  `create temporary table bench_topic on commit drop as
     select k, t.name, coalesce(sum(1.0 / power(k, ${MATCH_DATASET.zipf})) over (order by k rows between unbounded preceding and 1 preceding), 0) / h.total as lo,
            sum(1.0 / power(k, ${MATCH_DATASET.zipf})) over (order by k) / h.total as hi
     from unnest(${literal(TOPICS)}) with ordinality as t(name, k),
          (select sum(1.0 / power(k, ${MATCH_DATASET.zipf})) as total from generate_series(1, ${TOPICS.length}) k) h`,
  `create temporary table bench_word on commit drop as select i, w from unnest(${literal(VOCABULARY)}) with ordinality as v(w, i)`,
  `create temporary table bench_member on commit drop as select n, gen_random_uuid() as id from generate_series(1, ${MATCH_DATASET.mentors}) n`,
  `insert into member (id, created_at, email, email_key, password_hash, display_name, bio, expertise, org_role)
     select m.id, now() - interval '300 days' + m.n * interval '1 minute', 'Mentor' || m.n || '@bench.test',
            'mentor' || m.n || '@bench.test', 'not-a-password-hash', 'Mentor ' || m.n, null, '{}', 'MEMBER'
     from bench_member m`,
  `create temporary table bench_community on commit drop as select n, gen_random_uuid() as id from generate_series(1, ${MATCH_DATASET.communities}) n`,
  `insert into community (id, created_at, slug, name, description, topics, visibility, status)
     select c.id, now() - interval '400 days', 'bench-' || c.n, 'Bench community ' || c.n, 'Seeded for bench:match',
            array[(select name from bench_topic where k = 1 + c.n % ${TOPICS.length})],
            (case when c.n % 10 = 0 then 'RESTRICTED' else 'OPEN' end)::community_visibility,
            (case when c.n % 50 = 0 then 'RETIRED' else 'ACTIVE' end)::community_status
     from bench_community c`,
  // 0..3 communities per member (about 75 members each), a few of them PENDING or LEFT.
  `insert into membership (id, created_at, member_id, community_id, status, roles, notification_preference, joined_at)
     select gen_random_uuid(), now() - interval '200 days', m.id, c.id,
            (case when (m.n + j) % 23 = 0 then 'PENDING' when (m.n + j) % 29 = 0 then 'LEFT' else 'ACTIVE' end)::membership_status,
            '{}', 'REALTIME', now() - interval '200 days'
     from bench_member m cross join lateral generate_series(1, m.n % 4) j
     join bench_community c on c.n = 1 + ((m.n::bigint * 7919 + j * 104729) % ${MATCH_DATASET.communities})
     on conflict do nothing`,
  `create temporary table bench_draw on commit drop as
     select m.n, j, random() as u from bench_member m
     cross join lateral generate_series(1, 1 + floor(random() * ${MATCH_DATASET.maxTopicsPerProfile})::int + m.n * 0) j`,
  `create temporary table bench_profile_topics on commit drop as
     select d.n, array_agg(distinct t.name) as topics from bench_draw d join bench_topic t on d.u >= t.lo and d.u < t.hi group by d.n`,
  `create temporary table bench_bio_draw on commit drop as
     select m.n, j, 1 + floor(${VOCABULARY.length} * power(random(), 2.2))::int as wi from bench_member m
     cross join lateral generate_series(1, ${MATCH_DATASET.bioWords[0]} + (m.n * 37) % ${MATCH_DATASET.bioWords[1] - MATCH_DATASET.bioWords[0]}) j`,
  `create temporary table bench_bio on commit drop as
     select d.n, 'I work on ' || string_agg(w.w, ' ' order by d.j) || '.' as bio from bench_bio_draw d join bench_word w on w.i = d.wi group by d.n`,
  // The topic statistics are counted once at the end: the row trigger would update the all-profiles row 50,000
  // times in one transaction (see MentorProfile). Likewise the matching change log: one counter bump with no
  // change row makes every instance's matching index reload.
  `alter table mentor_profile disable trigger mentor_profile_topic_stats`,
  `alter table mentor_profile disable trigger mentor_profile_match_changes`,
  `insert into mentor_profile (id, created_at, member_id, topics, capacity, active_mentee_count, bio, accepting_mentees, updated_at)
     select gen_random_uuid(), now() - interval '100 days', m.id, t.topics,
            (${JSON.stringify(MATCH_DATASET.capacities).replace('[', 'array[')})[1 + floor(random() * ${MATCH_DATASET.capacities.length})::int],
            0, b.bio, random() < ${MATCH_DATASET.acceptingShare}, now() - interval '100 days'
     from bench_member m join bench_profile_topics t on t.n = m.n join bench_bio b on b.n = m.n`,
  // ACTIVE pairings: each mentor has 0..capacity mentees; a pair already open (either way round) is skipped.
  `insert into mentorship_pairing (id, created_at, mentor_id, mentee_id, status, topics, responded_at)
     select gen_random_uuid(), now() - interval '30 days', p.member_id, mentee.id, 'ACTIVE', p.topics[1:1], now() - interval '29 days'
     from mentor_profile p join bench_member m on m.id = p.member_id
     cross join lateral generate_series(1, floor(random() * (p.capacity + 1))::int + m.n * 0) k
     join bench_member mentee on mentee.n = 1 + ((m.n::bigint * 31 + k * 7927) % ${MATCH_DATASET.mentors})
     where mentee.id <> p.member_id
     on conflict do nothing`,
  `update mentor_profile p set active_mentee_count = s.active
     from (select mentor_id, count(*)::int as active from mentorship_pairing where status = 'ACTIVE' group by mentor_id) s
     where s.mentor_id = p.member_id`,
  `insert into mentor_topic_stat (topic, mentor_count)
     select t, count(*)::int from mentor_profile, unnest(array_append(topics, '')) t group by t`,
  `alter table mentor_profile enable trigger mentor_profile_topic_stats`,
  `alter table mentor_profile enable trigger mentor_profile_match_changes`,
  `insert into mentor_match_counter as c (id, position) values (1, 1) on conflict (id) do update set position = c.position + 1`,
];

export interface MatchSeedResult {
  counts: {
    profiles: number;
    available: number;
    memberships: number;
    activePairings: number;
    topicsPerProfile: number;
    topTopicShare: number;
    communities: number;
  };
  /** Member ids (by number 1..mentors) for viewers. */
  memberIds: string[];
}

export async function seedMatchData(url: string, viewerCount: number, log: (line: string) => void = () => undefined): Promise<MatchSeedResult> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    for (const sql of seedSql()) {
      const started = Date.now();
      await client.query(sql);
      log(`  ${((Date.now() - started) / 1000).toFixed(1)} s: ${sql.replace(/\s+/g, ' ').slice(0, 70)}…`);
    }
    const step = Math.floor(MATCH_DATASET.mentors / viewerCount);
    const viewers = await client.query<{ id: string }>(`select id from bench_member where n % ${step} = 1 order by n limit ${viewerCount}`);
    await client.query('commit');
    await client.query('vacuum analyze');
    const { rows } = await client.query<Record<string, string>>(
      `select (select count(*) from mentor_profile) as profiles,
              (select count(*) from mentor_profile where accepting_mentees and active_mentee_count < capacity) as available,
              (select count(*) from membership where status = 'ACTIVE') as memberships,
              (select count(*) from mentorship_pairing where status = 'ACTIVE') as "activePairings",
              (select avg(cardinality(topics)) from mentor_profile) as "topicsPerProfile",
              (select max(mentor_count)::float8 / (select mentor_count from mentor_topic_stat where topic = '') from mentor_topic_stat where topic <> '') as "topTopicShare",
              (select count(*) from community) as communities`,
    );
    await checkStatistics(client);
    const counts = Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)])) as MatchSeedResult['counts'];
    return { counts, memberIds: viewers.rows.map((r) => r.id) };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** The trigger-kept statistics must agree with the profiles (they are what the IDF weighting reads). */
async function checkStatistics(client: Client): Promise<void> {
  const { rows } = await client.query<{ bad: string }>(
    `select count(*) as bad from (
       select t as topic, count(*)::int as n from mentor_profile, unnest(topics || ''::text) t group by t
     ) real full join mentor_topic_stat s on s.topic = real.topic
     where coalesce(real.n, 0) <> coalesce(s.mentor_count, 0)`,
  );
  if (Number(rows[0]!.bad) !== 0) throw new Error(`mentor_topic_stat disagrees with the profiles on ${rows[0]!.bad} topics`);
}
