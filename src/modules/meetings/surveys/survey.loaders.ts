import DataLoader from 'dataloader';
import { childCountLoader, childPageLoader, CREATED_ORDER, type LoaderRegistry, type OrderColumn } from '../../../shared/loaders';
import type { Page } from '../../../shared/pagination';
import { Member } from '../../members/member.entity';
import { OPEN_AT_SQL, Survey, SurveyStatus } from './survey.entity';
import { SurveyQuestion } from './surveyQuestion.entity';
import { SurveyNamedTextAnswer, SurveyTextAnswer } from './surveyAnswer.entity';

/** A status filter as of `now` (the request's clock, the same one the status field reads). */
const statusFilter = (status: SurveyStatus | null, now: Date) => {
  if (!status) return { where: undefined, params: [] };
  return { where: status === SurveyStatus.OPEN ? OPEN_AT_SQL : `not (${OPEN_AT_SQL})`, params: [now.toISOString()] };
};

/** One page of surveys for many communities, newest first, one statement per batch. */
export function surveysPageLoader(registry: LoaderRegistry, page: Page, status: SurveyStatus | null, now: Date) {
  const { where, params } = statusFilter(status, now);
  return childPageLoader<Survey>(
    registry,
    `surveys:${status ?? 'all'}`,
    { entity: Survey, table: 'survey', parentColumn: 'community_id', order: CREATED_ORDER, direction: 'desc', where, whereParams: params },
    page,
  );
}

export function surveyCountLoader(registry: LoaderRegistry, status: SurveyStatus | null, now: Date) {
  const { where, params } = statusFilter(status, now);
  return childCountLoader(registry, `surveys:${status ?? 'all'}`, 'survey', 'community_id', where, params);
}

/** The questions of many surveys, in order, in one statement. */
export function questionsLoader(registry: LoaderRegistry) {
  return registry.get<SurveyQuestion[]>('surveyQuestions', () =>
    new DataLoader<string, SurveyQuestion[]>(async (surveyIds) => {
      const rows = await registry.em.find(SurveyQuestion, { survey: { $in: [...surveyIds] } }, { orderBy: { survey: 'asc', position: 'asc' } });
      const bySurvey = new Map<string, SurveyQuestion[]>();
      for (const question of rows) {
        registry.byId(SurveyQuestion).prime(question.id, question);
        bySurvey.set(question.survey.id, [...(bySurvey.get(question.survey.id) ?? []), question]);
      }
      return surveyIds.map((id) => bySurvey.get(id) ?? []);
    }),
  );
}

/** Whether the viewer responded, for many surveys in one statement (false when signed out). */
export function viewerRespondedLoader(registry: LoaderRegistry) {
  return registry.get<boolean>('surveyViewerResponded', () => {
    const viewerId = registry.viewerId;
    return new DataLoader<string, boolean>(async (surveyIds) => {
      if (!viewerId) return surveyIds.map(() => false);
      const rows = await registry.em.execute<{ survey_id: string }[]>(
        'select survey_id from survey_participation where member_id = ? and survey_id in (?)',
        [viewerId, [...surveyIds]],
      );
      const responded = new Set(rows.map((row) => row.survey_id));
      return surveyIds.map((id) => responded.has(id));
    });
  });
}

/** A question's counts: how many responses answered it, and the count per option index or scale value. */
export interface QuestionCounts {
  answerCount: number;
  tallies: Map<number, number>;
}

/** The counts of every question of many surveys (by question id), in one statement. */
export function surveyCountsLoader(registry: LoaderRegistry) {
  return registry.get<Map<string, QuestionCounts>>('surveyCounts', () =>
    new DataLoader<string, Map<string, QuestionCounts>>(async (surveyIds) => {
      const rows = await registry.em.execute<{ survey_id: string; question_id: string; answer_count: number; value: number | null; count: number | null }[]>(
        'select q.survey_id, q.id as question_id, q.answer_count, t.value, t.count from survey_question q ' +
          'left join survey_tally t on t.question_id = q.id where q.survey_id in (?)',
        [[...surveyIds]],
      );
      const bySurvey = new Map<string, Map<string, QuestionCounts>>();
      for (const row of rows) {
        const questions = bySurvey.get(row.survey_id) ?? new Map<string, QuestionCounts>();
        bySurvey.set(row.survey_id, questions);
        const counts = questions.get(row.question_id) ?? { answerCount: Number(row.answer_count), tallies: new Map<number, number>() };
        questions.set(row.question_id, counts);
        if (row.value !== null) counts.tallies.set(Number(row.value), Number(row.count));
      }
      return surveyIds.map((id) => bySurvey.get(id) ?? new Map<string, QuestionCounts>());
    }),
  );
}

/** Text answers are listed by their random id: a stable order for paging that says nothing about who or when. */
export const TEXT_ANSWER_ORDER: OrderColumn[] = [{ column: 'id', property: 'id', kind: 'uuid' }];

/** One page of text answers for many questions; a non-anonymous survey's bring their authors (primed, no extra query). */
export function textAnswersPageLoader(registry: LoaderRegistry, page: Page, anonymous: boolean) {
  return anonymous
    ? childPageLoader<SurveyTextAnswer>(
        registry,
        'surveyTextAnswers',
        { entity: SurveyTextAnswer, table: 'survey_text_answer', parentColumn: 'question_id', order: TEXT_ANSWER_ORDER, direction: 'asc' },
        page,
      )
    : childPageLoader<SurveyNamedTextAnswer>(
        registry,
        'surveyNamedTextAnswers',
        {
          entity: SurveyNamedTextAnswer,
          table: 'survey_named_text_answer',
          parentColumn: 'question_id',
          order: TEXT_ANSWER_ORDER,
          direction: 'asc',
          include: { column: 'author_id', table: 'member', entity: Member },
        },
        page,
      );
}
