/**
 * Demo resources and mentors, added to the demo communities and people by the demo seed (demo.ts). Deterministic:
 * every choice below is by position, so every run shares, endorses and offers the same things.
 */
import type { Community } from '../../modules/communities/community.entity';
import type { Member } from '../../modules/members/member.entity';
import { MentorProfile } from '../../modules/mentoring/mentorProfile.entity';
import { normalizeTopics } from '../../modules/mentoring/topics';
import { ResourceEndorsement } from '../../modules/resources/endorsement.entity';
import { Resource, ResourceKind } from '../../modules/resources/resource.entity';
import { normalizeHttpUrl } from '../../modules/resources/resourceUrl';
import { normalizeTags } from '../../modules/resources/resourceTags';
import type { Em } from '../orm';

const DAY = 24 * 60 * 60 * 1000;
const { LINK, DOCUMENT, VIDEO, TOOL, OTHER } = ResourceKind;

type ResourceSpec = [title: string, url: string, kind: ResourceKind, tags: string[], description: string];

/** By community slug; the diversity community is RESTRICTED, so its resources are for its members only. */
const RESOURCES: Record<string, ResourceSpec[]> = {
  'digital-tools': [
    ['Chromebook cart checkout sheet', 'https://example.org/templates/chromebook-checkout', DOCUMENT, ['chromebooks', 'circulation'], 'A one-page checkout and overnight charging log that students fill in themselves.'],
    ['Starting a coding club with no budget', 'https://example.org/guides/coding-club-zero-budget', LINK, ['coding clubs', 'makerspaces'], 'Unplugged activities for the first month, then free block-based tools.'],
    ['Screen reader basics for library staff', 'https://example.org/videos/screen-reader-basics', VIDEO, ['assistive technology', 'accessibility'], 'Twelve minutes on testing your catalogue and website with a screen reader.'],
    ['Podcast recording kit checklist', 'https://example.org/kits/podcast-checklist', TOOL, ['podcasting'], 'What to buy, what to borrow, and how to keep the kit together between classes.'],
    ['AI literacy lesson sequence (Years 7–9)', 'https://example.org/lessons/ai-literacy', DOCUMENT, ['ai literacy', 'digital citizenship'], 'Four lessons on how chatbots answer, where they go wrong, and how to check them.'],
  ],
  'diversity-equity-inclusion': [
    ['Diversity audit spreadsheet template', 'https://example.org/templates/diversity-audit', TOOL, ['collection audits', 'inclusive collections'], 'Sample a shelf, record representation, and chart the gaps over time.'],
    ['Handling a reconsideration request', 'https://example.org/policies/reconsideration', DOCUMENT, ['reconsideration policies'], 'A step-by-step procedure and letter templates reviewed by a school board.'],
    ['Sensitivity readers: what they do and do not do', 'https://example.org/articles/sensitivity-readers', LINK, ['publishing', 'inclusive collections'], 'A plain explanation to share with staff and parents.'],
    ['Indigenous authors for middle grade', 'https://example.org/lists/indigenous-middle-grade', LINK, ['indigenous literature', 'reader advisory'], 'A curated list with reading levels and own-voices notes.'],
  ],
  'information-literacy': [
    ['Lateral reading in five minutes', 'https://example.org/videos/lateral-reading', VIDEO, ['lateral reading', 'source evaluation'], 'A short video students watch before their first fact-checking task.'],
    ['Source evaluation rubric', 'https://example.org/rubrics/source-evaluation', DOCUMENT, ['assessment rubrics', 'source evaluation'], 'A four-level rubric aligned with the research unit outcomes.'],
    ['Citation generator comparison', 'https://example.org/tools/citation-generators', TOOL, ['citation and plagiarism'], 'Which free generators get APA and MLA right, tested on twenty sources.'],
    ['Inquiry unit planner', 'https://example.org/templates/inquiry-planner', DOCUMENT, ['inquiry-based learning', 'research skills instruction'], 'Plan the question, the sources and the checkpoints with the class teacher.'],
    ['Media literacy week activity pack', 'https://example.org/packs/media-literacy-week', OTHER, ['media literacy', 'fact-checking'], 'Posters, a quiz and a fake-news escape room for one week in October.'],
  ],
  'reading-promotion': [
    ['Reading challenge that rewards variety, not pages', 'https://example.org/challenges/reading-variety', DOCUMENT, ['reading challenges'], 'A bingo card of genres and formats that weaker readers can win too.'],
    ['Graphic novel starter collection', 'https://example.org/lists/graphic-novel-starter', LINK, ['graphic novels', 'collection development'], 'Fifty titles across ages, with notes for parents.'],
    ['Book talk in ninety seconds', 'https://example.org/videos/ninety-second-book-talk', VIDEO, ['book talks'], 'A model book talk and a planning card students use for their own.'],
    ['Author visit planning timeline', 'https://example.org/templates/author-visit', DOCUMENT, ['author visits'], 'From booking to thank-you letters: who does what, and when.'],
    ['Audiobook platforms for schools', 'https://example.org/reviews/audiobook-platforms', LINK, ['audiobooks', 'ebook platforms'], 'Licensing models, costs and accessibility compared.'],
  ],
  'teacher-collaboration': [
    ['Co-teaching models at a glance', 'https://example.org/guides/co-teaching-models', DOCUMENT, ['co-teaching'], 'Six co-teaching models with one library lesson worked through each.'],
    ['Curriculum mapping template for the library', 'https://example.org/templates/curriculum-map', TOOL, ['curriculum mapping'], 'Map research skills to each year group and see where the library fits.'],
    ['Pitching a collaborative unit to a busy teacher', 'https://example.org/articles/pitch-a-unit', LINK, ['collaborative unit planning', 'instructional coaching'], 'A short script and the one-page plan that makes saying yes easy.'],
    ['Flexible scheduling: a year in review', 'https://example.org/case-studies/flexible-scheduling', OTHER, ['flexible scheduling'], 'What changed when one school moved from fixed library classes to booking.'],
  ],
};

export interface KnowledgeRoom {
  slug: string;
  community: Community;
  /** ACTIVE members of the community, in a stable order. */
  active: Member[];
}

export interface DemoMentor {
  member: Member;
  topics: string[];
  bio: string;
}

/** Resources shared by ACTIVE members, endorsed by a few others; the stored count is what endorseResource keeps. */
export function buildResources(em: Em, rooms: KnowledgeRoom[], now: number): void {
  rooms.forEach(({ slug, community, active }, r) => {
    if (active.length < 2) return;
    (RESOURCES[slug] ?? []).forEach(([title, url, kind, tags, description], i) => {
      const resource = new Resource();
      resource.community = community;
      resource.sharedBy = active[(r * 7 + i * 3) % active.length]!;
      resource.title = title;
      resource.url = normalizeHttpUrl(url)!;
      resource.kind = kind;
      resource.tags = normalizeTags(tags);
      resource.description = description;
      resource.createdAt = new Date(now - (3 + i * 9 + r) * DAY);
      const endorsers = active.filter((member) => member !== resource.sharedBy).slice(i, i + ((i * 5 + r) % 6));
      for (const member of endorsers) {
        const endorsement = new ResourceEndorsement();
        endorsement.resource = resource;
        endorsement.member = member;
        endorsement.createdAt = new Date(resource.createdAt.getTime() + DAY);
        em.persist(endorsement);
      }
      resource.endorsementCount = endorsers.length;
      em.persist(resource);
    });
  });
}

/** Mentor profiles (the database's triggers keep the match tables); every fifth one is not taking mentees now. */
export function buildMentors(em: Em, mentors: DemoMentor[]): void {
  mentors.forEach(({ member, topics, bio }, i) => {
    const profile = new MentorProfile();
    profile.member = member;
    profile.topics = normalizeTopics(topics).slice(0, 4);
    profile.capacity = 1 + (i % 4);
    profile.bio = bio;
    profile.acceptingMentees = i % 5 !== 4;
    em.persist(profile);
  });
}
