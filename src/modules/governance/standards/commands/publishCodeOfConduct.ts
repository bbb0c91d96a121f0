import type { CommandScope } from '../../../../context';
import { recordEvent } from '../../../../events/record';
import { badField } from '../../../../shared/errors';
import { authorize, requireMember } from '../../../../shared/policy';
import { Member } from '../../../members/member.entity';
import { ORGANISATION } from '../../../members/organisation.policy';
import { recordAudit } from '../../audit/recordAudit';
import { CodeOfConduct, findCurrentCode } from '../codeOfConduct.entity';

export interface PublishCodeOfConductProps {
  body: string;
}

/** Serialises publications, so two at once become consecutive versions rather than one unique-key failure. */
const PUBLISH_LOCK = 734_912_010;

/**
 * Staff (`governCommunities`) publish a new version of the organisation's code; earlier versions stay as they were
 * (nothing edits or removes one). Every community's standards version changes with it, so members are asked again.
 * A text identical to the current version is refused: it would change nothing but that.
 */
export async function publishCodeOfConduct(scope: CommandScope, props: PublishCodeOfConductProps): Promise<CodeOfConduct> {
  const member = requireMember(scope.actor);
  await authorize(scope.actor, 'governCommunities', ORGANISATION, "Only staff can publish the organisation's code of conduct");
  const body = props.body.trim();
  return scope.em.transactional(async (em) => {
    await em.execute(`select pg_advisory_xact_lock(${PUBLISH_LOCK})`);
    const current = await findCurrentCode(em);
    if (current?.body === body) throw badField('body', 'is the same as the current version');
    const code = new CodeOfConduct();
    code.version = (current?.version ?? 0) + 1;
    code.body = body;
    code.publishedAt = new Date();
    code.publishedBy = em.getReference(Member, member.id);
    em.persist(code);
    const previousVersion = current?.version ?? 0;
    await recordEvent(em, member.id, { type: 'CodeOfConductPublished', codeOfConductId: code.id, version: code.version, previousVersion });
    recordAudit(em, member.id, {
      action: 'codeOfConduct.published',
      subject: { type: 'CodeOfConduct', id: code.id },
      details: { before: { version: previousVersion }, after: { version: code.version }, length: body.length },
    });
    return code;
  });
}
