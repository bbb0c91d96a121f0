import { registerEventKinds } from '../../events/registry';

declare module '../../events/registry' {
  interface DomainEvents {
    MemberSignedUp: { memberId: string };
    ProfileUpdated: { memberId: string };
    OrgRoleChanged: { memberId: string; role: string };
  }
}

registerEventKinds({ MemberSignedUp: {}, ProfileUpdated: {}, OrgRoleChanged: {} });
