/**
 * Demo surveys (inside the seed's transaction, after the memberships): an open anonymous survey in Digital Tools that
 * the demo account (its LEAD) created and can read the results of, a closed one there, and an open non-anonymous
 * survey in Information Literacy the demo account has not answered yet. Responses are written as respondToSurvey
 * writes them (checkAnswers + storeResponse), so the demo's counters, text answers and participations are real ones.
 */
import type { Em } from '../../../db/orm';
import { Community } from '../../communities/community.entity';
import { CommunityRole, Membership, MembershipStatus } from '../../communities/membership.entity';
import { Survey } from './survey.entity';
import { SurveyQuestion, SurveyQuestionKind } from './surveyQuestion.entity';
import { SurveyTally } from './surveyAnswer.entity';
import { checkQuestions, tallyValues, type QuestionSpec } from './commands/questionRules';
import { checkAnswers, type AnswerSpec } from './commands/answerRules';
import { storeResponse } from './commands/storeResponse';

const DAY = 86_400_000;
const { SCALE, SINGLE, MULTIPLE, TEXT } = SurveyQuestionKind;

/** One response: per question (by position), the choices, the scale value or the text; null leaves it out. */
type Reply = (string[] | number | string | null)[];

interface SurveySpec {
  slug: string;
  title: string;
  anonymous: boolean;
  createdDaysAgo: number;
  closesInDays: number | null;
  closedDaysAgo?: number;
  questions: QuestionSpec[];
  replies: Reply[];
}

const SURVEYS: SurveySpec[] = [
  {
    slug: 'digital-tools',
    title: 'Planning the spring meetups',
    anonymous: true,
    createdDaysAgo: 4,
    closesInDays: 10,
    questions: [
      { kind: SCALE, prompt: "How useful were this term's online meetups?", required: true, scaleMin: 1, scaleMax: 5 },
      { kind: SINGLE, prompt: 'Which format should the next meetup take?', required: true, options: ['Hands-on workshop', 'Show and tell', 'Guest speaker', 'Open Q&A'] },
      { kind: MULTIPLE, prompt: 'Which topics would you come for?', required: false, options: ['AI literacy', 'Chromebook management', 'Makerspaces', 'Ebook platforms', 'Library systems'] },
      { kind: TEXT, prompt: 'What should we do differently?', required: false },
    ],
    replies: [
      [4, ['Hands-on workshop'], ['AI literacy', 'Makerspaces'], 'More time to try things ourselves, less slides.'],
      [5, ['Hands-on workshop'], ['Chromebook management'], null],
      [3, ['Guest speaker'], ['AI literacy', 'Library systems'], 'An evening slot would let more of us come after school.'],
      [4, ['Show and tell'], ['Makerspaces', 'Ebook platforms'], null],
      [2, ['Open Q&A'], null, 'The recordings came out too late to be useful; a short written summary would help.'],
      [5, ['Hands-on workshop'], ['AI literacy', 'Chromebook management', 'Library systems'], 'Keep the breakout rooms.'],
      [4, ['Guest speaker'], ['AI literacy'], null],
      [3, ['Hands-on workshop'], ['Ebook platforms'], 'Share the agenda a week ahead so we can bring questions.'],
    ],
  },
  {
    slug: 'digital-tools',
    title: 'Autumn term check-in',
    anonymous: true,
    createdDaysAgo: 50,
    closesInDays: null,
    closedDaysAgo: 36,
    questions: [
      { kind: SCALE, prompt: 'How confident do you feel supporting students with the new devices?', required: true, scaleMin: 0, scaleMax: 10 },
      { kind: TEXT, prompt: 'What is the one thing you need help with this term?', required: false },
    ],
    replies: [
      [7, 'Setting up the charging carts so they last the day.'],
      [4, 'Getting teachers to report broken devices through the form.'],
      [8, null],
      [6, 'Managing student accounts when they change classes.'],
      [5, null],
    ],
  },
  {
    slug: 'information-literacy',
    title: 'What should our next practice session cover?',
    anonymous: false,
    createdDaysAgo: 2,
    closesInDays: 12,
    questions: [
      { kind: SINGLE, prompt: 'Pick the one topic you most want', required: true, options: ['Lateral reading', 'Citation tools', 'Research rubrics', 'News literacy'] },
      { kind: TEXT, prompt: 'A lesson you would be willing to demonstrate', required: false },
    ],
    replies: [
      [['Lateral reading'], 'My Year 9 “five-minute fact check” warm-up.'],
      [['Research rubrics'], null],
      [['Lateral reading'], 'A SIFT lesson using this week’s news.'],
      [['News literacy'], null],
    ],
  },
];

function answersOf(questions: SurveyQuestion[], reply: Reply): AnswerSpec[] {
  return reply.flatMap((value, position): AnswerSpec[] => {
    const questionId = questions[position]!.id;
    if (value === null) return [];
    if (Array.isArray(value)) return [{ questionId, choices: value }];
    return [typeof value === 'number' ? { questionId, scale: value } : { questionId, text: value }];
  });
}

export async function seedSurveys(em: Em, now: number): Promise<void> {
  await em.flush();
  for (const spec of SURVEYS) {
    const community = await em.findOneOrFail(Community, { slug: spec.slug });
    const memberships = await em.find(Membership, { community, status: MembershipStatus.ACTIVE }, { populate: ['member'], orderBy: { member: { email: 'asc' } } });
    const lead = memberships.find((membership) => membership.roles.includes(CommunityRole.LEAD));
    if (!lead) throw new Error(`demo seed: ${spec.slug} has no LEAD for its surveys`);
    const respondents = memberships.filter((membership) => membership !== lead && membership.roles.length === 0);
    if (respondents.length < spec.replies.length) throw new Error(`demo seed: ${spec.slug} has too few members for “${spec.title}”`);

    const survey = new Survey();
    survey.community = community;
    survey.createdBy = lead.member;
    survey.title = spec.title;
    survey.anonymous = spec.anonymous;
    survey.createdAt = new Date(now - spec.createdDaysAgo * DAY);
    survey.closesAt = spec.closesInDays === null ? null : new Date(now + spec.closesInDays * DAY);
    em.persist(survey);
    const { checked, errors } = checkQuestions(spec.questions);
    if (errors.length) throw new Error(`demo seed: “${spec.title}”: ${JSON.stringify(errors)}`);
    const questions = checked.map((question, position) => {
      const entity = Object.assign(new SurveyQuestion(), { ...question, survey, position, createdAt: survey.createdAt });
      em.persist(entity);
      for (const value of tallyValues(question)) em.persist(Object.assign(new SurveyTally(), { question: entity, value }));
      return entity;
    });
    await em.flush();
    for (const [index, reply] of spec.replies.entries()) {
      await storeResponse(em, survey, respondents[index]!.member.id, checkAnswers(questions, answersOf(questions, reply)));
    }
    if (spec.closedDaysAgo !== undefined) {
      survey.closedAt = new Date(now - spec.closedDaysAgo * DAY);
      survey.closedBy = lead.member;
    }
  }
  await em.flush();
}
