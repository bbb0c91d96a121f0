/**
 * Demo data: five communities of practice with ~60 school librarians and library staff, their memberships and
 * volunteer roles, a couple of months of threads, replies and reactions, shared resources and mentors (demoKnowledge.ts).
 *
 * Everything is built from the tables below plus a seeded PRNG, so every run produces the same people, the same
 * conversations and the same relative timestamps (ids and the "now" the timeline ends at are the only things that
 * differ). It keeps the invariants the commands keep: authors and reactors are ACTIVE members of the community,
 * replyCount counts non-deleted posts, lastActivityAt is the latest post, an accepted answer belongs to its thread.
 */
import { CommunityVisibility, Community } from '../../modules/communities/community.entity';
import { mailingListAddress } from '../../modules/communities/commands/foundCommunity';
// The demo's approved proposal founds its community through foundCommunity, which records events.
import '../../modules/registerEvents';
import {
  CommunityRole,
  Membership,
  MembershipStatus,
  NotificationPreference,
} from '../../modules/communities/membership.entity';
import { Post } from '../../modules/discussions/post.entity';
import { Reaction } from '../../modules/discussions/reaction.entity';
import { Thread, ThreadKind } from '../../modules/discussions/thread.entity';
import { normalizeEmail } from '../../modules/members/commands/signUp';
import { Member, OrgRole } from '../../modules/members/member.entity';
import { hashPassword } from '../../modules/members/password';
import type { Em, Orm } from '../orm';
import { buildMentors, buildResources } from './demoKnowledge';
import { seedReviews } from './governance/reviews';
import { seedStandardsAndSupport } from './governance/standards';
import { seedRoleTerms } from './governance/roles';
import { buildProposals } from './governance/proposals';
import { seedSurveys } from '../../modules/meetings/surveys/surveys.seed';
import { seedRituals } from '../../modules/meetings/rituals/seedRituals';
import { seedThreadPoll } from '../../modules/discussions/polls/poll.seed';
import { seedMeetingAnswers } from '../../modules/meetings/rsvp/attend.seed';
import { seedTimePolls } from '../../modules/meetings/timePolls/timePoll.seed';
import { seedMeetingSchedules } from '../../modules/meetings/meetingSchedules.seed';

export interface DemoLogin {
  email: string;
  password: string;
}

export const DEMO_EMAIL = 'demo@practicehub.example';
export const DEMO_PASSWORD = 'practicehub-demo';
/** A STAFF account for trying approvals and moderation; it shares the demo password. */
export const STAFF_EMAIL = 'staff@practicehub.example';

const { LEAD, DISCUSSION_MONITOR: MONITOR, MEETING_COORDINATOR, EVENT_COORDINATOR } = CommunityRole;
const { DISCUSSION, QUESTION, ANNOUNCEMENT, PROMPT, AMA } = ThreadKind;

// ---------------------------------------------------------------------------------------------------------------
// Communities
// ---------------------------------------------------------------------------------------------------------------

type Slug = 'digital-tools' | 'diversity-equity-inclusion' | 'information-literacy' | 'reading-promotion' | 'teacher-collaboration';

interface CommunitySpec {
  slug: Slug;
  name: string;
  description: string;
  topics: string[];
  membershipRationale?: string;
  /** Sentences for the bios of members whose main community this is. */
  interests: string[];
  /** Expertise tags members of this community draw from. */
  expertise: string[];
}

const DEI = 'diversity-equity-inclusion' satisfies Slug;

const COMMUNITIES: CommunitySpec[] = [
  {
    slug: 'digital-tools',
    name: 'Digital and Technology Tools',
    description:
      'For school librarians and library staff who choose, teach and support the technology in their schools: library ' +
      'systems, ebook and audiobook platforms, makerspaces, coding clubs, classroom tools and, lately, generative AI. ' +
      'Share what works, what broke and how you got the teachers on board. Beginners welcome: most of us learned by asking here.',
    topics: ['edtech', 'makerspaces', 'library systems', 'ebooks', 'ai literacy', 'digital citizenship'],
    interests: [
      'Runs the student tech team out of the library.',
      'Currently rebuilding the makerspace around what students actually use.',
      'Interested in AI literacy and in keeping student data private.',
      'Looks after ebooks, audiobooks and the library system for the whole school.',
    ],
    expertise: ['Google Workspace', 'Chromebook management', 'Makerspaces', 'Coding clubs', 'Library management systems', 'Ebook platforms', 'AI literacy', 'Video production', 'Digital citizenship', 'Assistive technology', 'Podcasting'],
  },
  {
    slug: DEI,
    name: 'Diversity, Equity and Inclusion',
    description:
      'Building collections, programmes and library practices in which every student sees themselves and others: ' +
      'diversity audits, culturally responsive instruction, accessibility, multilingual families, and responding when ' +
      'library materials are challenged.',
    topics: ['collection development', 'culturally responsive practice', 'accessibility', 'multilingual learners', 'intellectual freedom'],
    membershipRationale:
      'Members share situations from their own schools (challenged books, incidents involving students and families, ' +
      'their own experiences of exclusion) that they cannot discuss in the open. Restricting membership to approved ' +
      'association members keeps the conversation candid and confidential. The lead or staff approve requests, ' +
      'usually within a week.',
    interests: [
      'Working through a diversity audit of the fiction collection.',
      'Builds bilingual collections for the many languages spoken at school.',
      'Cares about accessible libraries: spaces, formats and programmes.',
      'Has helped two schools write their reconsideration policy for challenged materials.',
    ],
    expertise: ['Diverse collection development', 'Culturally responsive teaching', 'Multilingual learners', 'Accessibility', 'Collection audits', 'Anti-bias education', 'Inclusive collections', 'Indigenous literature', 'Reconsideration policies'],
  },
  {
    slug: 'information-literacy',
    name: 'Information Literacy Instruction',
    description:
      'Teaching students to find, evaluate and use information: research lessons, source evaluation and lateral reading, ' +
      'citation, media and news literacy, and assessing all of it. Swap lesson plans and rubrics, and talk through what ' +
      'students actually struggle with.',
    topics: ['research skills', 'source evaluation', 'media literacy', 'citation', 'lesson plans', 'assessment'],
    interests: [
      'Teaches research skills from Year 5 to Year 12.',
      'Obsessed with lateral reading and fact-checking lessons.',
      'Writes research rubrics with the English and history departments.',
      'Currently mapping information literacy skills across the whole school.',
    ],
    expertise: ['Research skills instruction', 'Source evaluation', 'Citation and plagiarism', 'Media literacy', 'Database instruction', 'Lateral reading', 'Inquiry-based learning', 'Fact-checking', 'Assessment rubrics'],
  },
  {
    slug: 'reading-promotion',
    name: 'Literature and Reading Promotion',
    description:
      'Getting books into hands and readers talking: reader advisory, book clubs, reading challenges, author visits, ' +
      'displays, graphic novels and audiobooks, and reaching reluctant readers. Monthly book club and an annual guest ' +
      'author session.',
    topics: ['reader advisory', 'book clubs', 'young adult literature', 'childrens literature', 'reading challenges', 'author visits'],
    interests: [
      'Runs three lunchtime book clubs and a staff one.',
      'Always looking for the next book for a reluctant reader.',
      'Reads every middle grade novel on the award lists, eventually.',
      'Organises the school reading challenge and the author visits.',
    ],
    expertise: ['Reader advisory', 'Book clubs', 'Graphic novels', 'Young adult literature', 'Picture books', 'Reading challenges', 'Author visits', 'Book talks', 'Audiobooks', 'Displays'],
  },
  {
    slug: 'teacher-collaboration',
    name: 'Teacher Collaboration',
    description:
      'Librarians and teachers planning and teaching together: co-taught units, curriculum mapping, flexible scheduling, ' +
      'running professional development for staff, and making the case for the library in your school. Bring a unit you ' +
      'want to redesign: someone here has tried it.',
    topics: ['co-teaching', 'curriculum mapping', 'professional development', 'project-based learning', 'flexible scheduling'],
    interests: [
      'Co-teaches research units with the humanities department.',
      'Argued the school into flexible scheduling and is happy to share how.',
      'Runs short professional development sessions for teachers.',
      'Maps the library into every year level of the curriculum.',
    ],
    expertise: ['Co-teaching', 'Curriculum mapping', 'Collaborative unit planning', 'Professional development', 'Project-based learning', 'Flexible scheduling', 'Instructional coaching'],
  },
];

// ---------------------------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------------------------

type WorkplaceKind = 'school' | 'district' | 'public' | 'association';

/** Where people work; the domain gives them a realistic (reserved, undeliverable) email address. */
const WORKPLACES: { name: string; domain: string; kind: WorkplaceKind }[] = [
  { name: 'Northfield High School', domain: 'northfield-hs.example', kind: 'school' },
  { name: 'Cedar Grove Middle School', domain: 'cedargrove-ms.example', kind: 'school' },
  { name: 'Lakeside Elementary', domain: 'lakeside-es.example', kind: 'school' },
  { name: 'Riverside Unified School District', domain: 'riverside-usd.example', kind: 'district' },
  { name: 'Harbor View Academy', domain: 'harborview.example', kind: 'school' },
  { name: 'Maple Ridge Secondary', domain: 'mapleridge-ss.example', kind: 'school' },
  { name: "St. Brigid's School", domain: 'stbrigids.example', kind: 'school' },
  { name: 'Oakwood Charter School', domain: 'oakwood-charter.example', kind: 'school' },
  { name: 'Pinecrest International School', domain: 'pinecrest-intl.example', kind: 'school' },
  { name: 'Eastbrook Junior High', domain: 'eastbrook-jh.example', kind: 'school' },
  { name: 'Westfield Public Library', domain: 'westfield-pl.example', kind: 'public' },
  { name: 'Hillcrest K-8', domain: 'hillcrest-k8.example', kind: 'school' },
  { name: 'Granite Falls High School', domain: 'granitefalls-hs.example', kind: 'school' },
  { name: 'Meadowlands Regional Library System', domain: 'meadowlands-rls.example', kind: 'public' },
  { name: 'Brookside Elementary', domain: 'brookside-es.example', kind: 'school' },
  { name: 'Summit Valley School District', domain: 'summitvalley-sd.example', kind: 'district' },
];

const JOBS: Record<WorkplaceKind, string[]> = {
  school: ['School librarian', 'Teacher librarian', 'Library media specialist', 'School librarian', 'Library technician', 'Library assistant'],
  district: ['District library coordinator', 'Library technician', 'Digital learning specialist'],
  public: ['Youth services librarian', 'Teen services librarian', 'School outreach librarian'],
  association: ['Community programs manager'],
};

type Roles = Partial<Record<Slug, CommunityRole[]>>;

/** The people the demo revolves around: the demo login, staff, board and council, and every community's role holders. */
interface KeyPerson {
  name: string;
  email?: string;
  job: string;
  workplace: string;
  orgRole?: OrgRole;
  /** ACTIVE memberships, each with its volunteer roles. */
  communities: Roles;
  bio: string;
  expertise: string[];
}

const KEY_PEOPLE: KeyPerson[] = [
  {
    name: 'Jordan Avery',
    email: DEMO_EMAIL,
    job: 'Teacher librarian',
    workplace: 'Northfield High School',
    communities: { 'digital-tools': [LEAD], 'information-literacy': [], 'teacher-collaboration': [] },
    bio: 'Teacher librarian at Northfield High School. Runs the Chromebook help desk out of the library and a student tech team of twelve. Happy to talk library systems, ebooks and AI policy.',
    expertise: ['Library management systems', 'Chromebook management', 'AI literacy', 'Student tech teams'],
  },
  {
    name: 'Priya Raman',
    email: STAFF_EMAIL,
    job: 'Community programs manager',
    workplace: 'the association office',
    orgRole: OrgRole.STAFF,
    communities: { [DEI]: [], 'reading-promotion': [] },
    bio: 'Community programs manager at the association office. I support the communities of practice: meeting rooms, mailing lists, document spaces and the annual July meetings. Ask me how the association can help your community.',
    expertise: ['Community management', 'Event planning', 'Association governance'],
  },
  {
    name: 'Margaret Okonkwo',
    job: 'District library coordinator',
    workplace: 'Riverside Unified School District',
    orgRole: OrgRole.BOARD,
    communities: { 'teacher-collaboration': [LEAD], 'reading-promotion': [] },
    bio: 'District library coordinator for 14 schools and a member of the association board. Former English teacher; I still think the best library lessons are planned with a classroom teacher.',
    expertise: ['Co-teaching', 'Professional development', 'Library advocacy', 'Budget planning'],
  },
  {
    name: 'Daniel Whitford',
    job: 'Head of library services',
    workplace: 'Harbor View Academy',
    orgRole: OrgRole.BOARD,
    communities: { 'information-literacy': [LEAD] },
    bio: 'Head of library services at Harbor View Academy and association board member. Twenty years of teaching students to ask "who says so, and how do they know?"',
    expertise: ['Research skills instruction', 'Lateral reading', 'Assessment rubrics', 'Extended essay supervision'],
  },
  {
    name: 'Rosa Delgado',
    job: 'Library media specialist',
    workplace: 'Cedar Grove Middle School',
    orgRole: OrgRole.COUNCIL,
    communities: { [DEI]: [LEAD], 'reading-promotion': [] },
    bio: 'Library media specialist at Cedar Grove Middle School and council representative for the southern region. Bilingual (Spanish/English) collections, diversity audits and calm responses to book challenges.',
    expertise: ['Diverse collection development', 'Multilingual learners', 'Reconsideration policies', 'Collection audits'],
  },
  {
    name: 'Tomás Herrera',
    job: 'Youth services librarian',
    workplace: 'Westfield Public Library',
    orgRole: OrgRole.COUNCIL,
    communities: { 'reading-promotion': [LEAD] },
    bio: 'Youth services librarian at Westfield Public Library, council member, and the person who visits every school in town with a box of new books each September.',
    expertise: ['Reader advisory', 'Summer reading', 'Author visits', 'School outreach'],
  },
  {
    name: 'Aisha Rahman',
    job: 'Digital learning librarian',
    workplace: 'Maple Ridge Secondary',
    communities: { 'digital-tools': [MONITOR], 'information-literacy': [] },
    bio: 'Digital learning librarian at Maple Ridge Secondary. I post the Monday prompt here. Interested in AI literacy, student privacy and tools that teachers actually keep using.',
    expertise: ['AI literacy', 'Student data privacy', 'Google Workspace', 'Digital citizenship'],
  },
  {
    name: 'Ben Kowalski',
    job: 'Library technician',
    workplace: 'Summit Valley School District',
    communities: { 'digital-tools': [MEETING_COORDINATOR] },
    bio: 'Library technician for Summit Valley School District: devices, library system, barcodes, the lot. I schedule our monthly show-and-tell.',
    expertise: ['Library management systems', 'Device management', 'Data migration', 'Barcode and RFID'],
  },
  {
    name: 'Keisha Barnes',
    job: 'School librarian',
    workplace: 'Oakwood Charter School',
    communities: { [DEI]: [MONITOR], 'teacher-collaboration': [] },
    bio: 'School librarian at Oakwood Charter School. Monthly prompts in the DEI community are mine. Working on anti-bias lessons for K–5.',
    expertise: ['Anti-bias education', 'Culturally responsive teaching', 'Picture books', 'Collection audits'],
  },
  {
    name: 'Hiroshi Tanaka',
    job: 'Teacher librarian',
    workplace: 'Pinecrest International School',
    communities: { [DEI]: [EVENT_COORDINATOR], 'reading-promotion': [] },
    bio: 'Teacher librarian at Pinecrest International School, where students speak 38 languages at home. I organise guest speakers for the DEI community.',
    expertise: ['Multilingual learners', 'World literature', 'Guest speaker events', 'Translated books'],
  },
  {
    name: 'Fiona MacLeod',
    job: 'Teacher librarian',
    workplace: 'Granite Falls High School',
    communities: { 'information-literacy': [MONITOR] },
    bio: 'Teacher librarian at Granite Falls High School. I post the fortnightly prompts in Information Literacy Instruction and collect research lesson plans like other people collect stamps.',
    expertise: ['Source evaluation', 'Lateral reading', 'Citation and plagiarism', 'Lesson planning'],
  },
  {
    name: 'Samuel Osei',
    job: 'School librarian',
    workplace: 'Eastbrook Junior High',
    communities: { 'information-literacy': [MEETING_COORDINATOR], 'digital-tools': [] },
    bio: 'School librarian at Eastbrook Junior High. I book the lesson swaps for Information Literacy Instruction. Media literacy, news literacy and database instruction.',
    expertise: ['Media literacy', 'News literacy', 'Database instruction', 'Meeting facilitation'],
  },
  {
    name: 'Chloe Martin',
    job: 'Library media specialist',
    workplace: 'Lakeside Elementary',
    communities: { 'reading-promotion': [MONITOR] },
    bio: 'Library media specialist at Lakeside Elementary. Weekly prompts in Literature and Reading Promotion. Picture books, read-alouds and reading bingo.',
    expertise: ['Picture books', 'Reading challenges', 'Read-alouds', 'Displays'],
  },
  {
    name: 'Nadia Haddad',
    job: 'School librarian',
    workplace: 'Hillcrest K-8',
    communities: { 'reading-promotion': [EVENT_COORDINATOR], [DEI]: [] },
    bio: 'School librarian at Hillcrest K-8. I run our book club and the annual guest author session. Arabic and English picture books are my other passion.',
    expertise: ['Book clubs', 'Author visits', 'Middle grade fiction', 'Bilingual picture books'],
  },
  {
    name: 'Owen Pritchard',
    job: 'Teacher librarian',
    workplace: "St. Brigid's School",
    communities: { 'teacher-collaboration': [MONITOR, MEETING_COORDINATOR] },
    bio: "Teacher librarian at St. Brigid's School. I post the prompts in Teacher Collaboration and run the monthly planning clinic: bring a unit, leave with a co-teaching plan.",
    expertise: ['Collaborative unit planning', 'Curriculum mapping', 'Inquiry-based learning', 'Flexible scheduling'],
  },
  {
    name: 'Grace Liu',
    job: 'Library media specialist',
    workplace: 'Brookside Elementary',
    communities: { 'teacher-collaboration': [EVENT_COORDINATOR], 'digital-tools': [] },
    bio: 'Library media specialist at Brookside Elementary. Coordinating our joint session for the state conference. Project-based learning and coding with the youngest students.',
    expertise: ['Project-based learning', 'Coding clubs', 'Conference presentations', 'Co-teaching'],
  },
];

/** Everyone else: their communities, jobs, bios and expertise are drawn with the PRNG. */
const MEMBER_NAMES = [
  'Eleanor Brooks', 'Marcus Johnson', 'Sofia Rossi', "Liam O'Connor", 'Mei Chen', 'Carlos Mendoza', 'Hannah Schmidt',
  'Jamal Washington', 'Emily Nguyen', 'Patrick Doyle', 'Amara Nwosu', 'Lucas Ferreira', 'Ingrid Larsen', 'Ravi Patel',
  'Zoe Campbell', 'Omar Farouk', 'Julia Novak', 'Ethan Clarke', 'Leila Ahmadi', 'Noah Bergström', 'Valentina Cruz',
  'Kwame Asante', 'Sarah Goldberg', 'Diego Ramírez', 'Anna Kowalczyk', 'Isaac Thompson', 'Yuki Sato', 'Bridget Murphy',
  'André Dubois', 'Fatima Zahra Benali', 'Michael Byrne', 'Lena Fischer', 'Gabriel Silva', 'Naomi Adeyemi',
  'Peter Lindqvist', 'Camille Laurent', 'Victor Huang', 'Theresa Walsh', 'Ahmed Hassan', 'Olivia Grant', 'Rachel Stein',
  'Joseph Mwangi', 'Laura Bianchi', "Kevin O'Brien",
];

const CAREER_NOTES = [
  'In school libraries for {n} years.',
  'Former history teacher; moved to the library {n} years ago.',
  'Former English teacher; moved to the library {n} years ago.',
  'Started as a library assistant and never left.',
  'New to the profession and here to learn.',
  'Solo librarian for {n} years: this community is my staff room.',
];

// ---------------------------------------------------------------------------------------------------------------
// Conversations
// ---------------------------------------------------------------------------------------------------------------

interface Person {
  name: string;
  firstName: string;
  email: string;
  job: string;
  workplace: string;
  orgRole: OrgRole;
  bio: string;
  expertise: string[];
  memberships: Map<Slug, { status: MembershipStatus; roles: CommunityRole[] }>;
}

/** A body can depend on who wrote it (introductions). */
type Text = string | ((author: Person) => string);

interface ReplySpec {
  body: Text;
  /** Who writes it: the thread's author ('op'), a role holder, or (default) another ACTIVE member. */
  by?: 'op' | CommunityRole;
  /** Index of an earlier reply in the same thread this one answers. */
  to?: number;
  accepted?: true;
  /** Removed by the discussion monitor: stays as a tombstone and leaves the reply count. */
  deleted?: true;
}

interface ThreadSpec {
  kind: ThreadKind;
  /** A role holder, or 'member': a member without a role in the community (role holders have their own threads). */
  by: CommunityRole | 'member';
  title: string;
  body: string;
  tags: string[];
  daysAgo: number;
  pinned?: true;
  locked?: true;
  replies: ReplySpec[];
}

const introduce = (tail: string) => (a: Person) => `Hi all, I'm ${a.firstName}, ${lowerFirst(a.job)} at ${a.workplace}. ${tail}`;

const THREADS: Record<Slug, ThreadSpec[]> = {
  'digital-tools': [
    {
      kind: ANNOUNCEMENT, by: LEAD, daysAgo: 52, pinned: true, tags: ['welcome', 'introductions'],
      title: 'Welcome to Digital and Technology Tools: start here',
      body:
        'Welcome! This community is for anyone who picks, teaches or troubleshoots technology in a school library.\n\n' +
        '- Ask questions as QUESTION threads so the most helpful reply can be marked as the answer.\n' +
        '- Our discussion monitor posts a prompt every Monday, and our meeting coordinator runs a monthly show-and-tell.\n' +
        '- Like every community, we hold our annual virtual meeting in the second week of July.\n\n' +
        "Please introduce yourself below: where you work, and one tool you couldn't do without.",
      replies: [
        { body: introduce("The tool I couldn't do without is our library system's mobile checkout: circulation at recess is now a one-person job.") },
        { body: introduce('We just got a class set of floor robots and I have no idea what to do with them yet. Here to learn!') },
        { body: 'Floor robots are brilliant for K–2. Tape a map of the library on the floor and have them "deliver" a book to the right section. Happy to share the lesson.', to: 1 },
        { body: introduce("Mine is a shared spreadsheet of every device's warranty date. Not glamorous, but it saves us every spring.") },
        { body: introduce('The class sets feature on our ebook platform: whole-class novel access without buying thirty copies.') },
      ],
    },
    {
      kind: PROMPT, by: MONITOR, daysAgo: 30, locked: true, tags: ['weekly-prompt'],
      title: 'Monday prompt: what tool did you stop using this year, and why?',
      body:
        'This week: what is one tool or platform you retired this school year, and what made you drop it? Cost, privacy ' +
        "terms, teachers not using it: all answers welcome. (I lock each prompt when the next one goes up, so they're easy to find later.)",
      replies: [
        { body: 'Our paid citation generator. The cite buttons built into the databases do the same job and students were already using them.' },
        { body: "A classroom polling app. Its new privacy policy allowed it to share usage data with 'partners' and our district said no. We moved to the quiz feature in our LMS." },
        { body: 'Same story here with a different app. Does anyone have a checklist for reading privacy policies? I always feel I am missing something.', to: 1 },
        { body: "There's a good student data privacy checklist from our state library association. I'll start a thread with it so it doesn't get lost in here.", by: MONITOR, to: 2 },
        { body: 'Our 3D printer, honestly. Two broken extruders in three years and the novelty wore off. The space is now a button-maker and sewing station, and it is busier than ever.' },
      ],
    },
    {
      kind: QUESTION, by: 'member', daysAgo: 21, tags: ['chromebooks', 'device-management'],
      title: 'Chromebook carts: overnight charging and checkout?',
      body:
        "We're getting two 30-device carts for the library next month. How do you organise checkout to classes, and do you leave " +
        'them charging overnight? Our facilities manager is nervous about fire risk.',
      replies: [
        { body: 'We number each slot and each device with the same number, and teachers book the whole cart on a shared calendar. A missing device is obvious at a glance.' },
        {
          by: MEETING_COORDINATOR, accepted: true,
          body:
            'Carts with built-in charging timers are worth the extra cost: ours charge from 10pm to 4am only, which our facilities ' +
            'team signed off on. Ask the vendor for the safety certification of the cart itself, not just the chargers; that is ' +
            'the document that calms fire concerns. For checkout we catalogue each cart as an item in the library system, so an ' +
            'overdue cart shows up in the normal reports.',
        },
        { body: 'The certification tip is exactly what I needed for the facilities meeting. Thank you!', by: 'op', to: 1 },
        { body: 'Has anyone tried the carts from the vendor on the state contract?? (sorry, posted twice)', deleted: true },
        { body: "+1 to cataloguing the carts. We catalogue the chargers separately too: they walk off more often than the laptops do." },
      ],
    },
    {
      kind: DISCUSSION, by: 'member', daysAgo: 12, tags: ['ai-literacy', 'policy'],
      title: 'Generative AI guidelines for students: what did your school adopt?',
      body:
        'Our principal asked the library to draft guidelines for student use of AI chatbots by the end of term. Do you ban them, ' +
        'allow them with disclosure, or leave it to each teacher? And how do you handle citation?',
      replies: [
        { body: "We went with 'allowed with disclosure': students add a short note saying which tool they used and for what. Teachers can opt a task out. Imperfect, but it made the conversation honest." },
        { by: LEAD, body: 'We use a traffic-light model: red tasks (no AI), amber (brainstorming only), green (allowed with disclosure). Teachers mark each assignment. I will put our one-pager in the document space.' },
        { body: 'The traffic-light model is clever: it puts the decision where it belongs, with the assignment.', to: 1 },
        { body: "APA and MLA both have guidance for citing generative AI now. We teach it alongside citing interviews, since nobody else can retrieve the output." },
        { body: 'That comparison with interviews is a great way to explain it to students.', to: 3 },
        { body: "We're still at the 'ban' stage and I don't think it's working; students use it at home anyway. Following this thread closely." },
      ],
    },
    {
      kind: AMA, by: 'member', daysAgo: 6, tags: ['ama', 'library-systems'],
      title: 'AMA: we moved nine school libraries to a new library system over the summer',
      body:
        'Last summer we migrated 42,000 records to a new library system across nine schools. I am around all week for questions ' +
        'about choosing a vendor, cleaning data, training staff, and what I would do differently.',
      replies: [
        { body: 'How long did the data clean-up take before the migration?' },
        { by: 'op', to: 0, body: 'About six weeks of part-time work, mostly duplicate patron records and items without barcodes. Clean up in the old system: exports only get messier.' },
        { body: 'Did you keep your circulation history?' },
        { by: 'op', to: 2, body: 'Only the last 18 months, on purpose. Keeping less reading history is better for student privacy, and nobody has missed it.' },
        { body: 'What would you do differently?' },
        { by: 'op', to: 4, body: 'Train the library assistants first, not last. They run the desk every day and they were the ones fielding all the questions.' },
      ],
    },
    {
      kind: DISCUSSION, by: MEETING_COORDINATOR, daysAgo: 2, tags: ['show-and-tell', 'meetings'],
      title: 'Show-and-tell on the 20th: who wants a five-minute slot?',
      body: 'Our next monthly show-and-tell is on the 20th at 4pm. Five minutes each, any tool or project, finished or not. Reply here to claim a slot.',
      replies: [
        { body: 'I will take one: our student-made local history podcast, recorded on two phones with a free editor.' },
        { body: 'I can show the self-checkout kiosk we built from an old tablet.' },
        { body: 'Could we record the session? Our timetable clashes every month.' },
        { by: MEETING_COORDINATOR, to: 2, body: 'Yes, recordings go out on the mailing list the day after.' },
      ],
    },
    {
      kind: QUESTION, by: 'member', daysAgo: 0.2, tags: ['accessibility', 'ebooks'],
      title: 'Which ebook platforms work well with screen readers?',
      body: 'A new student who is blind starts with us next month. Which ebook and audiobook platforms have you found genuinely accessible with a screen reader, not just "accessible" on the sales page?',
      replies: [],
    },
  ],

  [DEI]: [
    {
      kind: ANNOUNCEMENT, by: LEAD, daysAgo: 50, pinned: true, tags: ['welcome', 'guidelines'],
      title: 'How this community works: confidentiality and joining',
      body:
        'Welcome. This is a restricted community: what is shared here stays here. Please do not quote posts outside the community ' +
        'without the author\'s permission, and anonymise students and colleagues when you describe a situation.\n\n' +
        'Requests to join are approved by me or association staff, usually within a week. Our discussion monitor posts a monthly ' +
        'prompt, and our event coordinator is lining up guest speakers before the annual meeting in the second week of July.',
      replies: [
        { body: 'Thank you for setting this up. Having a closed space makes it much easier to ask the awkward questions.' },
        { body: 'Glad to be here. I have wanted somewhere to talk through a book challenge at our school without it ending up on social media.' },
      ],
    },
    {
      kind: QUESTION, by: 'member', daysAgo: 33, tags: ['collection-audit', 'collection-development'],
      title: 'Diversity audit of a 9,000-title collection: where do I even start?',
      body:
        'I want to audit our fiction collection for representation before the next budget cycle. 9,000 titles, one librarian, ' +
        'no budget for a vendor audit. How did you scope yours?',
      replies: [
        { body: 'Sample, do not census. We pulled a random 10% of fiction, checked it against a simple rubric and extrapolated. Two weeks of lunch breaks.' },
        {
          by: MONITOR, accepted: true,
          body:
            'Start with the sections students borrow most (for us, middle grade fiction and graphic novels) and audit those ' +
            'completely before sampling the rest. Record fixed categories in a spreadsheet (main character identity, setting, ' +
            'own voices or not) so you can repeat the audit in two years and compare. Then share the numbers with your principal: ' +
            'ours made the case for a new budget line.',
        },
        { by: 'op', to: 1, body: 'Repeatable categories: that is what I was missing. Thank you.' },
        { body: 'Be careful with author identity: only record what authors have said publicly about themselves. Guessing from names or photos goes wrong fast.' },
        { to: 3, body: "Strongly agree. We had a 'self-identified? yes/no' column for exactly that reason." },
      ],
    },
    {
      kind: AMA, by: EVENT_COORDINATOR, daysAgo: 24, locked: true, tags: ['ama', 'guest-speaker', 'representation'],
      title: 'AMA with a children\'s author and sensitivity reader (questions closed, thank you!)',
      body:
        'Our guest this month is a children\'s author who also works as a sensitivity reader for publishers. I collected your ' +
        'questions here and posted their answers. The thread is now locked; the recording is on the mailing list.',
      replies: [
        { body: 'How can librarians judge authenticity when we are outside the culture a book depicts?' },
        { by: 'op', to: 0, body: 'Their answer: look for reviews by people inside that community, and ask whether the book was written with them or only about them. Author\'s notes and acknowledgements tell you a lot.' },
        { body: 'Are there red flags you see again and again in manuscripts?' },
        { by: 'op', to: 2, body: 'Their answer: the token friend who exists only to support the main character, and disability or illness used as a device to teach someone else a lesson.' },
      ],
    },
    {
      kind: DISCUSSION, by: 'member', daysAgo: 18, tags: ['challenges', 'intellectual-freedom'],
      title: 'A parent challenged a picture book: how we handled it',
      body:
        'Last month a parent asked for a picture book about a family with two dads to be removed from our K–2 shelves. Sharing ' +
        'what we did in case it helps: we followed our reconsideration policy to the letter, the committee read the whole book, ' +
        'and it stayed. The hardest part was the staff room, not the parent.',
      replies: [
        { body: "Thank you for sharing. 'Follow the policy to the letter' is the advice I give everyone, and the reason to adopt a policy before you need it." },
        { body: 'How did you handle the staff room conversations? That is where I struggle.' },
        { by: 'op', to: 1, body: 'Mostly one to one. I asked colleagues to read the book before forming a view, and most did. The two who did not, I let be.' },
        { by: LEAD, body: 'If your school does not have a reconsideration policy yet, the association office has a template. Ask me or staff and we will send it.' },
      ],
    },
    {
      kind: PROMPT, by: MONITOR, daysAgo: 9, tags: ['monthly-prompt', 'stories'],
      title: 'Monthly prompt: a book that made a student feel seen',
      body: 'This month: tell us about a time a book in your library made a student feel seen. No names, of course.',
      replies: [
        { body: 'A Year 5 student who had just arrived from Syria found a picture book in Arabic and English and read it to the whole class. The first time she spoke in front of them.' },
        { body: "A boy who uses a wheelchair found a graphic novel whose hero did too, and asked me for 'more books like me'. We didn't have enough. We do now." },
        { body: 'Not one student but a whole group: our first Diwali display. Three students asked to help with next year\'s.' },
        { to: 1, body: "'More books like me' is going on a sticky note above my desk." },
      ],
    },
    {
      kind: QUESTION, by: 'member', daysAgo: 1, tags: ['multilingual-learners', 'storytime'],
      title: 'Bilingual story time for Ukrainian-speaking families?',
      body: 'We have eleven new families who speak Ukrainian at home. Has anyone run a bilingual story time with parent volunteers? How did you find the books?',
      replies: [
        { body: 'Our public library had a small Ukrainian collection through an interlibrary loan scheme; ask yours before buying. Parent volunteers were the easy part: they were delighted to be asked.' },
      ],
    },
  ],

  'information-literacy': [
    {
      kind: ANNOUNCEMENT, by: LEAD, daysAgo: 48, pinned: true, tags: ['meetings', 'schedule'],
      title: 'This term\'s lesson swaps and the July annual meeting',
      body:
        'Our meeting coordinator has booked this term\'s lesson swaps: the first Tuesday of each month at 4pm in the association\'s ' +
        'video room. The annual virtual meeting is in the second week of July with the other communities. Bring one lesson that ' +
        'worked and one that flopped: the flops are usually more useful.',
      replies: [
        { body: 'Thanks! Will the lesson swaps be recorded?' },
        { by: MEETING_COORDINATOR, to: 0, body: 'Yes, and the slides go out on the mailing list afterwards.' },
      ],
    },
    {
      kind: QUESTION, by: 'member', daysAgo: 36, tags: ['lateral-reading', 'source-evaluation'],
      title: 'Lateral reading with Year 7: how many sessions before it sticks?',
      body:
        "I taught lateral reading once to my Year 7 classes (open new tabs, find out who's behind a site before reading it). " +
        'The exit tickets were fine, but two weeks later nobody did it on their own. How many sessions did it take for you?',
      replies: [
        { body: 'More than you would hope. We do a ten-minute warm-up at the start of every research lesson for a term: one claim, three tabs, who is behind it?' },
        {
          by: MONITOR, accepted: true,
          body:
            'In our experience it sticks when it is assessed inside a real assignment rather than taught as a separate skill. We ' +
            "added a 'who is behind this source and how do you know?' box to every research organiser in Years 7–9, and the " +
            'teachers mark it. Three short sessions plus that box did more than any single long lesson.',
        },
        { by: 'op', to: 1, body: 'Putting it in the organiser is clever: then the teachers reinforce it too.' },
        { body: 'The free civic online reasoning tasks from Stanford make good warm-ups, and they are short.' },
        { to: 3, body: 'Seconding those. The students find the fake websites genuinely funny.' },
      ],
    },
    {
      kind: DISCUSSION, by: 'member', daysAgo: 26, tags: ['citation'],
      title: 'Citation generators: teach them or ban them?',
      body: 'Our English department wants to ban citation generators until Year 10. I am not sure. Where have you landed?',
      replies: [
        { body: 'Teach them, and teach students to check the output. We hand out a deliberately broken citation and ask them to find three mistakes.' },
        { body: 'Ban in Year 7, allow from Year 9. Students need to know what the parts of a citation mean before a tool does it for them.' },
        { to: 1, body: 'That is our compromise too. The younger ones copy whatever the tool gives them.' },
        { by: LEAD, body: "Either way, the databases' own cite buttons are more reliable than free websites; we point students there first." },
      ],
    },
    {
      kind: PROMPT, by: MONITOR, daysAgo: 15, locked: true, tags: ['fortnightly-prompt'],
      title: 'Fortnightly prompt: the best question a student asked you this month',
      body: 'Share the best question a student asked you this month, and what you did with it. (Locked now; the next prompt is up.)',
      replies: [
        { body: "'If Wikipedia is bad, why does everyone's reference list come from Wikipedia's references?' Best opening for a lesson I have ever had." },
        { body: "'Who decides what goes in the database?' We spent a whole lesson on publishers and paywalls." },
        { body: "'Can a source be true and still be misleading?' From a Year 6. I nearly cried." },
        { to: 2, body: 'That is the whole of media literacy in one sentence.' },
      ],
    },
    {
      kind: AMA, by: 'member', daysAgo: 7, tags: ['ama', 'news-literacy', 'co-teaching'],
      title: 'AMA: I ran a news literacy unit with our Year 10 history teachers',
      body:
        'Over six weeks, Year 10 compared coverage of the same events in four outlets and wrote a short analysis. Ask me anything ' +
        'about planning it, assessing it, or how the teachers felt about it.',
      replies: [
        { body: 'How did you choose the four outlets without it feeling political?' },
        { by: 'op', to: 0, body: 'By format, not by side: a public broadcaster, a national paper, a local paper and a popular video news channel. The students found the political differences themselves.' },
        { body: 'What did the assessment look like?' },
        { by: 'op', to: 2, body: "A one-page comparison with a rubric we wrote with the history team: accuracy, sourcing, framing, and what's missing. 'What's missing' was the hardest and the best part." },
        { body: 'Would you share the rubric in the document space?' },
      ],
    },
    {
      kind: DISCUSSION, by: 'member', daysAgo: 0.5, tags: ['scope-and-sequence', 'curriculum'],
      title: 'Research skills scope and sequence, K–12: does anyone have one?',
      body: 'Our school wants a K–12 scope and sequence for research skills. Before I start from a blank page: has anyone built one they would share?',
      replies: [
        { body: 'Ours is a two-page table: skills down the side, year levels across, and the unit where each one is taught. The last column matters most: it is what teachers actually read.' },
      ],
    },
  ],

  'reading-promotion': [
    {
      kind: ANNOUNCEMENT, by: LEAD, daysAgo: 45, pinned: true, tags: ['book-club', 'events'],
      title: 'This term\'s book club picks and the guest author session',
      body:
        'Our event coordinator has put together this term\'s book club: one middle grade and one young adult title each month, ' +
        'discussed on the last Thursday. The guest author session is being scheduled for May; watch this space. And the annual ' +
        'virtual meeting is in the second week of July.',
      replies: [
        { body: 'Love the middle grade and YA pairing: it lets those of us in K–8 join in.' },
        { body: 'Will the guest author session be open to students too?' },
        { by: EVENT_COORDINATOR, to: 1, body: 'We are hoping for a 20-minute student Q&A at the start. Details once it is confirmed.' },
      ],
    },
    {
      kind: QUESTION, by: 'member', daysAgo: 34, tags: ['reading-challenges', 'reluctant-readers'],
      title: 'Reading challenge ideas that do not just reward page counts?',
      body:
        'Our reading challenge has always counted pages or books, and the same strong readers win every year. What have you tried ' +
        'that rewards trying something new instead of volume?',
      replies: [
        { body: "Reading bingo: squares like 'a book with a map', 'a book a friend recommended', 'a graphic novel', 'a book in another language'. Everyone can finish a row." },
        {
          by: MONITOR, accepted: true,
          body:
            "We switched to bingo and added passports: a stamp for each genre a student tries, and every full passport goes into a " +
            'prize draw. The draw matters: one ticket each gives a reluctant reader the same chance as the student who read eighty ' +
            'books. Participation went from about a third to over two thirds of Years 5 and 6.',
        },
        { by: 'op', to: 1, body: 'The prize draw is the missing piece for us. Trying it this term.' },
        { body: 'Name audiobooks and graphic novels explicitly, or some students will assume they do not count.' },
        { to: 3, body: "Yes! A parent told us audiobooks were 'cheating'. They are reading." },
      ],
    },
    {
      kind: AMA, by: 'member', daysAgo: 27, locked: true, tags: ['ama', 'events', 'reading-culture'],
      title: 'AMA: a whole-school reading week on a budget of zero',
      body:
        "Last month our school ran a week of reading events: staff 'caught reading' photos, a book swap, drop-everything-and-read " +
        'alarms at random times, a door-decorating contest. Total cost: goodwill. Ask me anything. (Locked now, thanks for the questions!)',
      replies: [
        { body: 'How did you get the teachers on board?' },
        { by: 'op', to: 0, body: 'I asked the three most enthusiastic teachers first and let them recruit the rest. Nobody wants to be the only undecorated door.' },
        { body: 'What was the most popular event?' },
        { by: 'op', to: 2, body: 'The drop-everything-and-read alarms. Students loved catching the principal reading in the middle of a meeting.' },
      ],
    },
    {
      kind: DISCUSSION, by: 'member', daysAgo: 22, tags: ['graphic-novels', 'shelving'],
      title: 'Graphic novels: separate section or interfiled?',
      body: 'We are reorganising over the break. Do you keep graphic novels in their own section or shelve them with everything else?',
      replies: [
        { body: 'Separate, and face-out wherever you can. Graphic novel loans doubled when they got their own section.' },
        { body: 'We interfile nonfiction graphic novels by subject and keep the fiction separate. Best of both.' },
        { to: 1, body: 'Same here: a graphic biography belongs next to the other biographies.' },
        { body: "Separate, but then some teachers write the section off as 'comics'. An occasional display of award winners helps." },
        { by: LEAD, body: 'Whatever you choose, record loans before and after the move. It is the evidence you will want for next year\'s budget.' },
      ],
    },
    {
      kind: PROMPT, by: MONITOR, daysAgo: 10, tags: ['weekly-prompt', 'popular-titles'],
      title: 'Weekly prompt: which book can you not keep on the shelf right now?',
      body: 'Tell us the book with the longest hold list in your library this week, and who is reading it.',
      replies: [
        { body: 'Every Dog Man, always. Eight copies of some and they are still on hold.' },
        { body: "'A Good Girl's Guide to Murder' for Years 9 and 10. The longest hold list I can remember." },
        { body: "'The Wild Robot', ever since the film came out." },
        { to: 2, body: 'Same! The film sent a whole new group of readers to the rest of the series.' },
        { body: "'Amari and the Night Brothers'. Year 6 pass it round faster than I can check it back in." },
      ],
    },
    {
      kind: DISCUSSION, by: EVENT_COORDINATOR, daysAgo: 3, tags: ['book-club'],
      title: "Book club: 'The Last Cuentista' (spoilers welcome)",
      body: "This month's middle grade pick. What did you think, and what did your students make of it?",
      replies: [
        { body: 'Finished it at the weekend. The ending had my Year 8 group arguing for a whole lesson, which is the best possible outcome.' },
        { body: 'I loved how the folk tales carry the story. It would pair well with a unit on oral storytelling.' },
        { to: 1, body: 'Our English department has already asked for a class set for exactly that.' },
      ],
    },
  ],

  'teacher-collaboration': [
    {
      kind: ANNOUNCEMENT, by: LEAD, daysAgo: 47, pinned: true, tags: ['welcome', 'planning-clinic'],
      title: 'Start here: how we work, and this term\'s planning clinics',
      body:
        'Welcome! This community is for librarians and teachers who plan and teach together. Our discussion monitor posts a ' +
        'prompt every other week and runs a planning clinic each month: bring a unit, leave with a co-teaching plan. Annual ' +
        'meeting: second week of July, as for every community.',
      replies: [
        { body: 'Last month\'s planning clinic turned a tired research project into one the teacher actually wants to run again. Recommended.' },
        { body: 'Looking forward to it: first time I am bringing a teacher along.' },
      ],
    },
    {
      kind: QUESTION, by: 'member', daysAgo: 31, tags: ['scheduling', 'co-teaching'],
      title: 'Fixed schedule: how do you co-teach when classes come to the library as release time?',
      body:
        'Every class comes to the library once a week while their teacher has planning time, so the teachers are never there. ' +
        'How have others managed to collaborate on a fixed schedule?',
      replies: [
        { body: 'Start with one teacher who will give up part of their planning time for one unit. Success stories are what change schedules.' },
        {
          by: LEAD, accepted: true,
          body:
            'We kept the fixed schedule for K–2 and argued for flexible scheduling from Year 3 up, with a one-page proposal built ' +
            "on loan and research-skills data. While you wait, plan 'bridges': you teach the research skill in library time, and " +
            'the teacher sets the task that uses it in class the same week. A shared planning document with four lines per unit is enough.',
        },
        { by: 'op', to: 1, body: "The 'bridge' idea works with the schedule I have now. Thank you." },
        { body: "Ask your principal to put library collaboration in teachers' professional goals. It turns a favour into part of the job." },
        { to: 3, body: 'That is what finally made it happen at our school.' },
      ],
    },
    {
      kind: DISCUSSION, by: 'member', daysAgo: 20, tags: ['professional-development'],
      title: 'Running a 20-minute PD session for staff: what has worked?',
      body: 'I have been given 20 minutes at the next staff meeting to "show what the library can do". What has worked for you in a slot that short?',
      replies: [
        { body: 'Make it hands-on: teachers leave with something they will use next week, like a database search saved for their own unit.' },
        { body: 'Offer it twice and keep it to 20 minutes. Attendance was three times what our hour-long sessions got.' },
        { to: 0, body: "Yes, 'leave with something' is the rule. Demonstrations alone are forgotten by Monday." },
        { body: 'Food. Never underestimate biscuits.' },
      ],
    },
    {
      kind: PROMPT, by: MONITOR, daysAgo: 13, locked: true, tags: ['fortnightly-prompt', 'units'],
      title: 'Fortnightly prompt: a unit you co-taught that you would run again',
      body: 'Which co-taught unit would you run again tomorrow, and what made it work? (Locked; the next prompt is coming.)',
      replies: [
        { body: "Year 4 'local history detectives': students used the public library's digitised newspapers to research their own street." },
        { body: 'Year 9 science, evaluating health claims on social media. The science teacher did the content, I did the sources.' },
        { body: 'Year 11 English, building an annotated bibliography for the extended essay. The teacher said the sources were far better than last year.' },
        { to: 1, body: 'Would love to see the materials for that one; it fits our health curriculum exactly.' },
      ],
    },
    {
      kind: AMA, by: 'member', daysAgo: 8, tags: ['ama', 'career'],
      title: 'AMA: I was a classroom teacher for ten years before becoming a teacher librarian',
      body: 'Ask me anything about seeing the library from both sides of the desk.',
      replies: [
        { body: 'What do you wish you had known about the library when you were in the classroom?' },
        { by: 'op', to: 0, body: "That the librarian can co-plan, not just pull books. I used to ask for 'a box of books on volcanoes'. Now I would ask for a lesson." },
        { body: 'How do you approach teachers who do not see the library as a partner?' },
        { by: 'op', to: 2, body: "Through their problem, not my offer. 'Your students' bibliographies are weak? I can help with that' works better than 'I'd love to collaborate'." },
        { body: 'Do you miss the classroom?' },
        { by: 'op', to: 4, body: 'I teach every class in the school now, so not really!' },
      ],
    },
    {
      kind: DISCUSSION, by: EVENT_COORDINATOR, daysAgo: 1.5, tags: ['conference', 'presenting'],
      title: 'State conference: co-presenters wanted for a librarian + teacher session',
      body:
        'I am putting together a proposal for the state conference: a joint session where librarian and teacher pairs each ' +
        'present one co-taught unit in ten minutes. Proposals close in three weeks. Who is in?',
      replies: [
        { body: 'Count us in: my Year 9 science colleague and I would present the health claims unit.' },
        { body: 'Interested, but I need to check conference leave with my principal first.' },
      ],
    },
  ],
};

/** Emoji and how often they are chosen: mostly thumbs up, like everywhere. */
const EMOJI: [string, number][] = [['👍', 40], ['❤️', 20], ['💡', 15], ['🙏', 15], ['🎉', 10]];

const NOTIFICATION_PREFERENCES: [NotificationPreference, number][] = [
  [NotificationPreference.REALTIME, 40],
  [NotificationPreference.DAILY_DIGEST, 30],
  [NotificationPreference.WEEKLY_DIGEST, 20],
  [NotificationPreference.NONE, 10],
];

/** At most this many members wait for approval in the restricted community, and this many have left a community. */
const MAX_PENDING = 4;
const MAX_LEFT = 2;

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness and time
// ---------------------------------------------------------------------------------------------------------------

const SEED = 20260501;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** mulberry32: tiny, fast and good enough to make demo data look varied while staying the same on every run. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('demo seed: nothing to pick from');
    return items[Math.floor(next() * items.length)]!;
  };
  const weighted = <T>(items: readonly [T, number][]): T => {
    let roll = next() * items.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [item, weight] of items) if ((roll -= weight) < 0) return item;
    return items[items.length - 1]![0];
  };
  /** `count` distinct items, in a random order. */
  const sample = <T>(items: readonly T[], count: number): T[] => {
    const pool = [...items];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, count);
  };
  /** A moment between `from` and `to`. */
  const between = (from: number, to: number) => new Date(from + Math.floor(next() * Math.max(0, to - from)));
  return { next, int, pick, weighted, sample, between };
}
type Random = ReturnType<typeof createRandom>;

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** "Noah Bergström" -> "noah.bergstrom"; "Liam O'Connor" -> "liam.oconnor". */
function emailLocalPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f']/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.');
}

// ---------------------------------------------------------------------------------------------------------------
// Planning: people and memberships as plain data, checked before anything touches the database
// ---------------------------------------------------------------------------------------------------------------

const SLUGS = COMMUNITIES.map((c) => c.slug);
const communitySpec = (slug: Slug) => COMMUNITIES.find((c) => c.slug === slug)!;

function planKeyPerson(spec: KeyPerson): Person {
  const workplace = WORKPLACES.find((w) => w.name === spec.workplace);
  return {
    name: spec.name,
    firstName: spec.name.split(' ')[0]!,
    email: spec.email ?? `${emailLocalPart(spec.name)}@${workplace?.domain ?? 'practicehub.example'}`,
    job: spec.job,
    workplace: spec.workplace,
    orgRole: spec.orgRole ?? OrgRole.MEMBER,
    bio: spec.bio,
    expertise: spec.expertise,
    memberships: new Map(
      (Object.entries(spec.communities) as [Slug, CommunityRole[]][]).map(([slug, roles]) => [
        slug,
        { status: MembershipStatus.ACTIVE, roles },
      ]),
    ),
  };
}

/**
 * A member without a role: a main community (spread evenly), up to two more at random. Joining the restricted
 * community as an extra may still be awaiting approval; a few have left one of their extra communities.
 */
function planMember(name: string, index: number, counts: { pending: number; left: number }, random: Random): Person {
  const workplace = WORKPLACES[index % WORKPLACES.length]!;
  const main = SLUGS[index % SLUGS.length]!;
  const extras = random.sample(SLUGS.filter((s) => s !== main), random.weighted([[0, 35], [1, 45], [2, 20]]));
  const memberships: Person['memberships'] = new Map([[main, { status: MembershipStatus.ACTIVE, roles: [] }]]);
  for (const slug of extras) {
    let status = MembershipStatus.ACTIVE;
    if (slug === DEI && counts.pending < MAX_PENDING && random.next() < 0.5) {
      status = MembershipStatus.PENDING;
      counts.pending++;
    } else if (slug !== DEI && counts.left < MAX_LEFT && random.next() < 0.15) {
      status = MembershipStatus.LEFT;
      counts.left++;
    }
    memberships.set(slug, { status, roles: [] });
  }

  const job = random.pick(JOBS[workplace.kind]);
  const career = random.pick(CAREER_NOTES).replace('{n}', String(random.int(3, 22)));
  const mainSpec = communitySpec(main);
  const expertise = random.sample(mainSpec.expertise, random.int(2, 3));
  const second = extras.find((slug) => memberships.get(slug)!.status === MembershipStatus.ACTIVE);
  if (second) expertise.push(...random.sample(communitySpec(second).expertise.filter((e) => !expertise.includes(e)), 1));
  return {
    name,
    firstName: name.split(' ')[0]!,
    email: `${emailLocalPart(name)}@${workplace.domain}`,
    job,
    workplace: workplace.name,
    orgRole: OrgRole.MEMBER,
    bio: `${job} at ${workplace.name}. ${random.pick(mainSpec.interests)} ${career}`,
    expertise,
    memberships,
  };
}

function planPeople(random: Random): Person[] {
  const counts = { pending: 0, left: 0 };
  return [...KEY_PEOPLE.map(planKeyPerson), ...MEMBER_NAMES.map((name, i) => planMember(name, i, counts, random))];
}

const isActiveIn = (person: Person, slug: Slug) => person.memberships.get(slug)?.status === MembershipStatus.ACTIVE;
const rolesIn = (person: Person, slug: Slug) => person.memberships.get(slug)?.roles ?? [];
const holdsRole = (person: Person, slug: Slug, role: CommunityRole) =>
  isActiveIn(person, slug) && rolesIn(person, slug).includes(role);

/** Table mistakes should fail loudly here, not show up as a demo that breaks the product's own rules. */
function checkPlan(people: Person[]): void {
  const emails = new Set(people.map((p) => normalizeEmail(p.email)));
  if (emails.size !== people.length) throw new Error('demo seed: duplicate email');
  for (const person of people) {
    const count = person.memberships.size;
    if (count < 1 || count > 3) throw new Error(`demo seed: ${person.name} is in ${count} communities`);
    if (![...person.memberships.keys()].some((slug) => isActiveIn(person, slug))) {
      throw new Error(`demo seed: ${person.name} has no ACTIVE membership`);
    }
  }
  for (const { slug } of COMMUNITIES) {
    for (const role of [LEAD, MONITOR]) {
      if (!people.some((p) => holdsRole(p, slug, role))) throw new Error(`demo seed: ${slug} has no ${role}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Building entities
// ---------------------------------------------------------------------------------------------------------------

interface Built {
  members: Map<Person, Member>;
  communities: Map<Slug, Community>;
}

/** The demo's lists use the default MAIL_FROM's domain. */
const DEMO_MAIL_FROM = 'no-reply@practicehub.localhost';

function buildCommunities(em: Em, start: number): Map<Slug, Community> {
  const communities = new Map<Slug, Community>();
  COMMUNITIES.forEach((spec, i) => {
    const community = new Community();
    community.slug = spec.slug;
    community.name = spec.name;
    community.description = spec.description;
    community.topics = spec.topics;
    community.visibility = spec.membershipRationale ? CommunityVisibility.RESTRICTED : CommunityVisibility.OPEN;
    community.membershipRationale = spec.membershipRationale ?? null;
    community.mailingListAddress = mailingListAddress({ mailFrom: DEMO_MAIL_FROM }, spec.slug);
    community.createdAt = new Date(start + i * HOUR);
    em.persist(community);
    communities.set(spec.slug, community);
  });
  return communities;
}

/** Accounts exist a day before the communities open; memberships begin in the following week. */
function buildMembers(em: Em, people: Person[], passwordHash: string, start: number, random: Random): Map<Person, Member> {
  const members = new Map<Person, Member>();
  for (const person of people) {
    const member = new Member();
    member.email = person.email;
    member.emailKey = normalizeEmail(person.email);
    member.passwordHash = passwordHash;
    member.displayName = person.name;
    member.bio = person.bio;
    member.expertise = person.expertise;
    member.orgRole = person.orgRole;
    member.createdAt = random.between(start - DAY, start - HOUR);
    em.persist(member);
    members.set(person, member);
  }
  return members;
}

function buildMemberships(em: Em, people: Person[], built: Built, now: number, random: Random): void {
  for (const person of people) {
    for (const [slug, plan] of person.memberships) {
      const community = built.communities.get(slug)!;
      const membership = new Membership();
      membership.member = built.members.get(person)!;
      membership.community = community;
      membership.status = plan.status;
      membership.roles = plan.roles;
      membership.notificationPreference = random.weighted(NOTIFICATION_PREFERENCES);
      // Leads founded their community; everyone else joined within its first week, before the first thread.
      const opened = community.createdAt.getTime();
      const joined = plan.roles.includes(LEAD) ? new Date(opened + MINUTE) : random.between(opened + HOUR, opened + 6 * DAY);
      if (plan.status === MembershipStatus.ACTIVE) {
        membership.createdAt = joined;
        membership.joinedAt = joined;
        if (community.isRestricted && !plan.roles.includes(LEAD)) membership.approvedAt = joined;
      } else if (plan.status === MembershipStatus.PENDING) {
        membership.createdAt = random.between(now - 6 * DAY, now - 2 * HOUR);
      } else {
        membership.createdAt = joined;
        membership.updatedAt = random.between(now - 30 * DAY, now - 10 * DAY);
      }
      em.persist(membership);
    }
  }
}

/** Who writes what in one community, and the clock its conversations run on. */
interface Room {
  slug: Slug;
  community: Community;
  active: Person[];
  built: Built;
  now: number;
  random: Random;
  /** Members who already started an ordinary thread here. */
  starters: Set<Person>;
}

function roleHolder(room: Room, role: CommunityRole): Person {
  const holder = room.active.find((p) => holdsRole(p, room.slug, role));
  if (!holder) throw new Error(`demo seed: ${room.slug} has no ${role}`);
  return holder;
}

/** Staff keep the lights on rather than chat about "my school"; every other ACTIVE member may write anything. */
const writers = (room: Room) => room.active.filter((p) => p.orgRole !== OrgRole.STAFF);

/** Ordinary threads come from members without a role, a different one each time so the feed has many voices. */
function threadAuthor(room: Room, spec: ThreadSpec): Person {
  if (spec.by !== 'member') return roleHolder(room, spec.by);
  const author = room.random.pick(writers(room).filter((p) => rolesIn(p, room.slug).length === 0 && !room.starters.has(p)));
  room.starters.add(author);
  return author;
}

/** Someone other than the people this reply answers, so nobody replies to themselves. */
function replyAuthor(room: Room, spec: ReplySpec, op: Person, avoid: Person[]): Person {
  if (spec.by === 'op') return op;
  if (spec.by) return roleHolder(room, spec.by);
  return room.random.pick(writers(room).filter((p) => p !== op && !avoid.includes(p)));
}

/** Reply times: strictly increasing, after the thread, spread over up to four days, never in the future. */
function replyTimes(random: Random, threadAt: number, count: number, now: number): number[] {
  const end = Math.min(now - 10 * MINUTE, threadAt + 4 * DAY);
  const times = Array.from({ length: count }, () => random.between(threadAt + 15 * MINUTE, end).getTime());
  times.sort((a, b) => a - b);
  for (let i = 1; i < times.length; i++) times[i] = Math.max(times[i]!, times[i - 1]! + 2 * MINUTE);
  return times;
}

function buildThread(em: Em, room: Room, spec: ThreadSpec): Post[] {
  const { random, now, built } = room;
  const author = threadAuthor(room, spec);
  const thread = new Thread();
  thread.community = room.community;
  thread.author = built.members.get(author)!;
  thread.title = spec.title;
  thread.body = spec.body;
  thread.kind = spec.kind;
  thread.tags = spec.tags;
  thread.pinned = spec.pinned ?? false;
  thread.locked = spec.locked ?? false;
  thread.createdAt = random.between(now - spec.daysAgo * DAY - 3 * HOUR, now - spec.daysAgo * DAY);
  em.persist(thread);

  const times = replyTimes(random, thread.createdAt.getTime(), spec.replies.length, now);
  const posts: Post[] = [];
  const authors: Person[] = [];
  spec.replies.forEach((reply, i) => {
    const parent = reply.to === undefined ? null : posts[reply.to]!;
    const avoid = [authors[i - 1], reply.to === undefined ? undefined : authors[reply.to]].filter((p): p is Person => !!p);
    const replier = replyAuthor(room, reply, author, avoid);
    const post = new Post();
    post.thread = thread;
    post.author = built.members.get(replier)!;
    post.parent = parent;
    post.body = typeof reply.body === 'function' ? reply.body(replier) : reply.body;
    post.createdAt = new Date(times[i]!);
    if (reply.deleted) {
      post.deletedAt = new Date(Math.min(now, times[i]! + 40 * MINUTE));
      post.deletedBy = built.members.get(roleHolder(room, MONITOR))!;
    }
    if (reply.accepted) thread.acceptedAnswer = post;
    em.persist(post);
    posts.push(post);
    authors.push(replier);
  });

  // What replyToThread and deletePost maintain: the count leaves out tombstones; activity is the latest reply.
  thread.replyCount = posts.filter((p) => !p.deleted).length;
  thread.lastActivityAt = posts.length ? posts[posts.length - 1]!.createdAt : thread.createdAt;
  return posts.filter((p) => !p.deleted);
}

/** A few members of the community react to most replies; the accepted answer draws a few more. */
function buildReactions(em: Em, room: Room, posts: Post[]): void {
  const { random, now, built } = room;
  for (const post of posts) {
    const isAnswer = post.thread.acceptedAnswer === post;
    const count = random.weighted([[0, 20], [1, 30], [2, 25], [3, 15], [5, 10]]) + (isAnswer ? 3 : 0);
    const reactors = random.sample(room.active.filter((p) => built.members.get(p) !== post.author), count);
    for (const person of reactors) {
      const reaction = new Reaction();
      reaction.post = post;
      reaction.member = built.members.get(person)!;
      reaction.emoji = random.weighted(EMOJI);
      const posted = post.createdAt.getTime();
      reaction.createdAt = random.between(posted + MINUTE, Math.min(now, posted + 2 * DAY));
      em.persist(reaction);
    }
  }
}

function buildDiscussions(em: Em, people: Person[], built: Built, now: number, random: Random): void {
  for (const { slug } of COMMUNITIES) {
    const active = people.filter((p) => isActiveIn(p, slug));
    const room: Room = { slug, community: built.communities.get(slug)!, active, built, now, random, starters: new Set() };
    for (const spec of THREADS[slug]) buildReactions(em, room, buildThread(em, room, spec));
  }
}

/** Resources in every community, and mentors: every third person with expertise except the demo member, who looks for one. */
function buildKnowledge(em: Em, people: Person[], built: Built, now: number): void {
  const rooms = COMMUNITIES.map(({ slug }) => ({
    slug,
    community: built.communities.get(slug)!,
    active: people.filter((p) => isActiveIn(p, slug)).map((p) => built.members.get(p)!),
  }));
  buildResources(em, rooms, now);
  const mentors = people.filter((p) => p.email !== DEMO_EMAIL && p.expertise.length > 0).filter((_, i) => i % 3 === 0);
  buildMentors(em, mentors.map((p) => ({ member: built.members.get(p)!, topics: p.expertise, bio: p.bio })));
}

// ---------------------------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------------------------

/** Serialises concurrent seeders (two instances starting on one empty database): the second finds data and stops. */
const SEED_LOCK = 734_912_002;

/** Loads the demo data when the database has no members; returns the demo login, or null when it did nothing. */
export async function seedIfEmpty(orm: Orm, passwordHashCost: number): Promise<DemoLogin | null> {
  if ((await orm.em.fork().count(Member, {})) > 0) return null;
  // scrypt is deliberately slow: hash once, outside the transaction, and share it (every demo account has one password).
  const passwordHash = await hashPassword(DEMO_PASSWORD, passwordHashCost);

  const em = orm.em.fork() as Em;
  const seeded = await em.transactional(async (tem) => {
    await tem.execute(`select pg_advisory_xact_lock(${SEED_LOCK})`);
    if ((await tem.count(Member, {})) > 0) return false;

    const random = createRandom(SEED);
    // Whole minutes keep the timeline tidy; the activity window is the last ~60 days.
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const start = now - 60 * DAY;
    const people = planPeople(random);
    checkPlan(people);

    const built: Built = {
      communities: buildCommunities(tem, start),
      members: buildMembers(tem, people, passwordHash, start, random),
    };
    buildMemberships(tem, people, built, now, random);
    buildDiscussions(tem, people, built, now, random);
    buildKnowledge(tem, people, built, now);
    await seedReviews(tem, { community: built.communities.get('reading-promotion')!, staff: [...built.members].find(([p]) => p.email === STAFF_EMAIL)![1], now });
    await seedStandardsAndSupport(tem, built, now);
    await seedRoleTerms(tem, now);
    await buildProposals(tem, [...built.members.values()], [...built.communities.values()], now);
    await seedSurveys(tem, now);
    await seedRituals(tem, now);
    await seedThreadPoll(tem, now);
    await seedMeetingAnswers(tem, now);
    await seedTimePolls(tem, now);
    await seedMeetingSchedules(tem, now);
    return true; // transactional() flushes everything persisted above in one go, then commits
  });
  return seeded ? { email: DEMO_EMAIL, password: DEMO_PASSWORD } : null;
}
