import type { TestServer } from '../support/server';
import type { BuiltMember } from '../support/factories';
import { Member } from '../../src/modules/members/member.entity';
import { MentorProfile } from '../../src/modules/mentoring/mentorProfile.entity';
import { MentoringGroup, MentoringGroupMember } from '../../src/modules/mentoring/mentoringGroup.entity';
import { MentorshipPairing, MentorshipStatus } from '../../src/modules/mentoring/mentorshipPairing.entity';
import { toGlobalId } from '../../src/shared/ids';

export interface BuiltMentor extends BuiltMember {
  profile: MentorProfile;
  profileId: string;
}

/**
 * Mentoring test data, written straight to the database like the shared factories (the profile triggers keep
 * the lexemes and topic statistics, as they do for the API). ACTIVE pairings raise the mentor's
 * activeMenteeCount as respondToMentorship does.
 */
export class MentoringFactories {
  constructor(private readonly server: TestServer) {}

  async mentor(
    overrides: Partial<Pick<MentorProfile, 'topics' | 'capacity' | 'bio' | 'acceptingMentees'>> & { displayName?: string; member?: BuiltMember } = {},
  ): Promise<BuiltMentor> {
    const member = overrides.member ?? (await this.server.factories.member({ displayName: overrides.displayName }));
    const em = this.server.em();
    const profile = new MentorProfile();
    profile.member = em.getReference(Member, member.member.id);
    profile.topics = overrides.topics ?? ['testing'];
    profile.capacity = overrides.capacity ?? 3;
    profile.bio = overrides.bio ?? null;
    profile.acceptingMentees = overrides.acceptingMentees ?? true;
    await em.persist(profile).flush();
    return { ...member, profile, profileId: toGlobalId('MentorProfile', profile.id) };
  }

  async pairing(mentor: BuiltMember, mentee: BuiltMember, status: MentorshipStatus = MentorshipStatus.PROPOSED, topics = ['testing']) {
    const em = this.server.em();
    const pairing = new MentorshipPairing();
    pairing.mentor = em.getReference(Member, mentor.member.id);
    pairing.mentee = em.getReference(Member, mentee.member.id);
    pairing.status = status;
    pairing.topics = topics;
    if (status !== MentorshipStatus.PROPOSED) pairing.respondedAt = new Date();
    if (status === MentorshipStatus.COMPLETED) pairing.completedAt = new Date();
    await em.persist(pairing).flush();
    if (status === MentorshipStatus.ACTIVE) {
      await em.execute('update mentor_profile set active_mentee_count = active_mentee_count + 1 where member_id = ?', [mentor.member.id]);
    }
    return { pairing, id: toGlobalId('MentorshipPairing', pairing.id) };
  }

  async group(mentor: BuiltMember, overrides: { topic?: string; capacity?: number; members?: BuiltMember[] } = {}) {
    const em = this.server.em();
    const group = new MentoringGroup();
    group.mentor = em.getReference(Member, mentor.member.id);
    group.topic = overrides.topic ?? 'testing';
    group.capacity = overrides.capacity ?? 5;
    group.memberCount = overrides.members?.length ?? 0;
    em.persist(group);
    for (const member of overrides.members ?? []) {
      const place = new MentoringGroupMember();
      place.group = group;
      place.member = em.getReference(Member, member.member.id);
      em.persist(place);
    }
    await em.flush();
    return { group, id: toGlobalId('MentoringGroup', group.id) };
  }
}

export { MentorshipStatus };
