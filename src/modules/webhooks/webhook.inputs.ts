import { ArrayMaxSize, ArrayNotEmpty, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../../shared/pagination';
import { MAX_URL_LENGTH } from '../resources/resourceUrl';
import { WebhookEventType } from './webhook.entity';

const EVENT_TYPES = Object.values(WebhookEventType);
const URL_DESCRIPTION =
  'An absolute http:// or https:// URL without credentials; unless WEBHOOK_ALLOW_PRIVATE_NETWORKS, not a loopback, ' +
  'private or link-local address (names are resolved and checked again at every delivery)';

@InputType()
export class CreateWebhookInput {
  @Field({ description: URL_DESCRIPTION })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  url!: string;

  @Field(() => [WebhookEventType], { description: 'At least one' })
  @ArrayNotEmpty({ message: 'must name at least one event type' })
  @ArrayMaxSize(EVENT_TYPES.length * 2)
  @IsIn(EVENT_TYPES, { each: true })
  events!: WebhookEventType[];

  @Field(() => ID, { nullable: true, description: "The community whose events it receives; omitted: every community's (staff only)" })
  @IsOptional()
  @IsString()
  communityId?: string | null;
}

@InputType({ description: 'Fields left out stay as they are' })
export class UpdateWebhookInput {
  @Field(() => ID)
  @IsString()
  webhookId!: string;

  @Field(() => String, { nullable: true, description: URL_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  url?: string | null;

  @Field(() => [WebhookEventType], { nullable: true })
  @IsOptional()
  @ArrayNotEmpty({ message: 'must name at least one event type' })
  @ArrayMaxSize(EVENT_TYPES.length * 2)
  @IsIn(EVENT_TYPES, { each: true })
  events?: WebhookEventType[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true also re-enables a webhook disabled by a 410 Gone' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;
}

@ArgsType()
export class WebhooksArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "Only this community's webhooks; omitted: every webhook the viewer manages" })
  @IsOptional()
  @IsString()
  communityId?: string | null;
}
