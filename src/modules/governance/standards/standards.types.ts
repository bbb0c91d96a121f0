import { ObjectType } from 'type-graphql';
import { connectionType } from '../../../shared/pagination';
import type { Community } from '../../communities/community.entity';
import { CodeOfConduct } from './codeOfConduct.entity';

/** Its fields are resolved in standards.resolver.ts (batched across communities). */
@ObjectType({
  description:
    "What a community's members agree to: the organisation's current code of conduct plus the community's own additions. " +
    '`version` is "<code version>.<number of additions>" (e.g. "3.2"): it changes whenever the code is published or ' +
    'the community adds a standard, and is what acceptCommunityStandards takes',
})
export class CommunityStandards {
  constructor(readonly community: Community) {}
}

export const CodeOfConductConnection = connectionType('CodeOfConduct', CodeOfConduct);
