import { Field, ObjectType } from 'type-graphql';
import { connectionType } from '../../../shared/pagination';
import type { Community } from '../../communities/community.entity';
import { SupportRequest } from './supportRequest.entity';

/** The community's document folder: its DOCUMENT-kind resources (`resources` and `resourceCount` in support.resolver.ts). */
@ObjectType({ description: "The community's shared folder: its DOCUMENT resources, read like the rest of its content" })
export class DocumentFolder {
  @Field()
  name!: string;

  community!: Community;
}

@ObjectType({ description: 'The support every community has from the organisation (set when it is founded)' })
export class CommunitySupport {
  @Field({ description: 'Whether it is listed on the public site' })
  listed!: boolean;

  @Field({ description: 'Its mailing list, `<slug>@lists.<domain>`; public, like its name: it is how people reach the community' })
  mailingListAddress!: string;

  @Field(() => DocumentFolder)
  documentFolder!: DocumentFolder;

  @Field({ description: 'Whether the organisation hosts its meetings (rooms, video calls)' })
  hostedMeetings!: boolean;

  @Field({ description: 'Whether it may send announcements' })
  announcements!: boolean;
}

export const SupportRequestConnection = connectionType('SupportRequest', SupportRequest);
