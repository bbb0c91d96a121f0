import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { cursorValues } from '../../../shared/loaders';
import { PageArgs, parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { Member } from '../../members/member.entity';
import { SurveyQuestionKind } from './surveyQuestion.entity';
import { SurveyNamedTextAnswer, type SurveyTextAnswer } from './surveyAnswer.entity';
import { TEXT_ANSWER_ORDER, textAnswersPageLoader } from './survey.loaders';
import { SurveyQuestionResults, SurveyTextAnswerConnection, SurveyTextAnswerView } from './survey.types';

const view = (answer: SurveyTextAnswer | SurveyNamedTextAnswer): SurveyTextAnswerView =>
  Object.assign(new SurveyTextAnswerView(), { id: answer.id, text: answer.text, authorId: answer instanceof SurveyNamedTextAnswer ? (answer.author?.id ?? null) : null });

/** Reached only through Survey.results, which holds the results rule: nothing here re-checks or widens it. */
@Resolver(() => SurveyQuestionResults)
export class SurveyQuestionResultsResolver {
  @FieldResolver(() => SurveyTextAnswerConnection, {
    description: 'TEXT: its answers, in an order that says nothing about who wrote them or when (empty for other kinds)',
  })
  async textAnswers(@Root() results: SurveyQuestionResults, @Args() args: PageArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<SurveyTextAnswerView>>> {
    const page = parsePage(args, TEXT_ANSWER_ORDER);
    const question = results.question;
    const rows = question.kind === SurveyQuestionKind.TEXT ? await textAnswersPageLoader(ctx.loaders, page, results.anonymous).load(question.id) : [];
    const answerCount = question.kind === SurveyQuestionKind.TEXT ? results.answerCount : 0;
    return toConnection(rows.map(view), page, (row) => cursorValues(row, TEXT_ANSWER_ORDER), async () => answerCount);
  }
}

@Resolver(() => SurveyTextAnswerView)
export class SurveyTextAnswerResolver {
  @FieldResolver(() => Member, { nullable: true, description: 'Who wrote it: non-anonymous surveys only; null for anonymous ones (and when that member is gone)' })
  author(@Root() answer: SurveyTextAnswerView, @Ctx() ctx: Context): Promise<Member | null> | null {
    return answer.authorId ? ctx.loaders.byId(Member).load(answer.authorId) : null;
  }
}
