import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { parseId } from '../../../shared/ids';
import { CREATED_ORDER, cursorValues } from '../../../shared/loaders';
import { parsePage, toConnection, type ConnectionResult, type Edge } from '../../../shared/pagination';
import { authorize, requireMember } from '../../../shared/policy';
import { Member } from '../../members/member.entity';
import { Community } from '../../communities/community.entity';
import { Survey } from './survey.entity';
import { SurveyQuestion } from './surveyQuestion.entity';
import { CreateSurveyInput, RespondToSurveyInput, SurveysArgs } from './survey.inputs';
import { questionsLoader, surveyCountLoader, surveysPageLoader, viewerRespondedLoader } from './survey.loaders';
import { READ_REFUSAL } from './survey.policy';
import { SurveyConnection, SurveyResults } from './survey.types';
import { surveyResults } from './queries/surveyResults';
import { createSurvey } from './commands/createSurvey';
import { Meeting } from '../meeting/meeting.entity';
import { respondToSurvey } from './commands/respondToSurvey';
import { closeSurvey } from './commands/closeSurvey';

@Resolver(() => Survey)
export class SurveyResolver {
  @Mutation(() => Survey, {
    description: "The community's LEAD, meeting or event coordinator, or staff; ACTIVE communities. SURVEY_OPENED goes to its members",
  })
  createSurvey(@Arg('input') input: CreateSurveyInput, @Ctx() ctx: Context): Promise<Survey> {
    requireMember(ctx.actor);
    const communityId = parseId(input.communityId, 'Community', 'communityId');
    const meetingId = input.meetingId ? parseId(input.meetingId, 'Meeting', 'meetingId') : null;
    return createSurvey(ctx, { communityId, title: input.title, questions: input.questions, anonymous: input.anonymous, closesAt: input.closesAt ?? null, meetingId });
  }

  @Mutation(() => Survey, {
    description: 'ACTIVE members of the community, once each (a second response is CONFLICT), while it is OPEN (a closed survey is CONFLICT)',
  })
  respondToSurvey(@Arg('input') input: RespondToSurveyInput, @Ctx() ctx: Context): Promise<Survey> {
    requireMember(ctx.actor);
    const surveyId = parseId(input.surveyId, 'Survey', 'surveyId');
    const answers = input.answers.map((answer, index) => ({
      questionId: parseId(answer.questionId, 'SurveyQuestion', `answers.${index}.questionId`),
      choices: answer.choices,
      scale: answer.scale,
      text: answer.text,
    }));
    return respondToSurvey(ctx, { surveyId, answers });
  }

  @Mutation(() => Survey, { description: "The community's LEAD, meeting or event coordinator, or staff; a closed survey is CONFLICT" })
  closeSurvey(@Arg('surveyId', () => ID) surveyId: string, @Ctx() ctx: Context): Promise<Survey> {
    requireMember(ctx.actor);
    return closeSurvey(ctx, { surveyId: parseId(surveyId, 'Survey', 'surveyId') });
  }

  @FieldResolver(() => Community)
  community(@Root() survey: Survey, @Ctx() ctx: Context): Promise<Community> {
    return ctx.actor.community(survey.community.id);
  }

  @FieldResolver(() => Meeting, { nullable: true, description: 'The meeting it gathers feedback on, if any (read like the survey: same community)' })
  meeting(@Root() survey: Survey, @Ctx() ctx: Context): Promise<Meeting | null> | null {
    return survey.meeting ? ctx.loaders.byId(Meeting).load(survey.meeting.id) : null;
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Who created it; null when that member is gone' })
  createdBy(@Root() survey: Survey, @Ctx() ctx: Context): Promise<Member | null> | null {
    return survey.createdBy ? ctx.loaders.byId(Member).load(survey.createdBy.id) : null;
  }

  @FieldResolver(() => [SurveyQuestion], { description: 'In order' })
  questions(@Root() survey: Survey, @Ctx() ctx: Context): Promise<SurveyQuestion[]> {
    return questionsLoader(ctx.loaders).load(survey.id);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer responded (false when signed out)' })
  viewerResponded(@Root() survey: Survey, @Ctx() ctx: Context): Promise<boolean> {
    return viewerRespondedLoader(ctx.loaders).load(survey.id);
  }

  @FieldResolver(() => SurveyResults, {
    nullable: true,
    description: "The community's LEAD, meeting and event coordinators, and staff; null with a FORBIDDEN error for everyone else",
  })
  results(@Root() survey: Survey, @Ctx() ctx: Context): Promise<SurveyResults> {
    return surveyResults(ctx, survey);
  }
}

@Resolver(() => Community)
export class CommunitySurveysResolver {
  @FieldResolver(() => SurveyConnection, {
    description: 'Its surveys, newest first, optionally only OPEN or CLOSED ones. A RESTRICTED community: its ACTIVE members and staff (FORBIDDEN)',
  })
  async surveys(@Root() community: Community, @Args() args: SurveysArgs, @Ctx() ctx: Context): Promise<ConnectionResult<Edge<Survey>>> {
    await authorize(ctx.actor, 'readContent', community, READ_REFUSAL);
    const page = parsePage(args, CREATED_ORDER);
    const status = args.status ?? null;
    const now = new Date();
    const rows = await surveysPageLoader(ctx.loaders, page, status, now).load(community.id);
    return toConnection(rows, page, (row) => cursorValues(row, CREATED_ORDER), () => surveyCountLoader(ctx.loaders, status, now).load(community.id));
  }
}
