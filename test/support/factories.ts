import { randomBytes } from 'node:crypto';
import type { TestServer } from './server';
import { Member, OrgRole } from '../../src/modules/members/member.entity';
import { hashPassword } from '../../src/modules/members/password';
import { Community, CommunityVisibility } from '../../src/modules/communities/community.entity';
import { CommunityRole, Membership, MembershipStatus, NotificationPreference } from '../../src/modules/communities/membership.entity';
import { Thread, ThreadKind } from '../../src/modules/discussions/thread.entity';
import { Post } from '../../src/modules/discussions/post.entity';
import { Resource, ResourceKind } from '../../src/modules/resources/resource.entity';
import { toGlobalId } from '../../src/shared/ids';

export const FACTORY_PASSWORD = 'correct horse battery';

let sequence = 0;
const unique = () => `${Date.now().toString(36)}${(sequence++).toString(36)}${randomBytes(2).toString('hex')}`;

export interface BuiltMember {
  member: Member;
  id: string;
  token: string;
  email: string;
}

/**
 * Test data builders (Outline's factories): each creates the parents it needs and writes straight to the
 * database, so a test sets up its world in a few lines and spends its assertions on the API.
 */
export class Factories {
  private passwordHash: Promise<string> | null = null;

  constructor(private readonly server: TestServer) {}

  async member(overrides: Partial<Pick<Member, 'displayName' | 'orgRole' | 'expertise' | 'bio'>> & { email?: string } = {}): Promise<BuiltMember> {
    this.passwordHash ??= hashPassword(FACTORY_PASSWORD, 1024);
    const member = new Member();
    member.email = overrides.email ?? `member-${unique()}@example.org`;
    member.emailKey = member.email.toLowerCase();
    member.passwordHash = await this.passwordHash;
    member.displayName = overrides.displayName ?? `Member ${sequence}`;
    member.orgRole = overrides.orgRole ?? OrgRole.MEMBER;
    member.expertise = overrides.expertise ?? [];
    member.bio = overrides.bio ?? null;
    await this.server.em().persist(member).flush();
    const token = await this.server.app.services.tokens.issue(member.id);
    return { member, id: toGlobalId('Member', member.id), token, email: member.email };
  }

  staff = () => this.member({ orgRole: OrgRole.STAFF });

  async community(overrides: Partial<Pick<Community, 'name' | 'slug' | 'description' | 'topics' | 'visibility'>> = {}) {
    const community = new Community();
    const slug = overrides.slug ?? `community-${unique()}`;
    community.slug = slug;
    community.name = overrides.name ?? `Community ${slug}`;
    community.description = overrides.description ?? 'A community for testing';
    community.topics = overrides.topics ?? ['testing'];
    community.visibility = overrides.visibility ?? CommunityVisibility.OPEN;
    community.membershipRationale = community.visibility === CommunityVisibility.RESTRICTED ? 'Members share student data' : null;
    community.mailingListAddress = `${slug}@lists.practicehub.localhost`;
    await this.server.em().persist(community).flush();
    return { community, id: toGlobalId('Community', community.id) };
  }

  restrictedCommunity = () => this.community({ visibility: CommunityVisibility.RESTRICTED });

  async membership(
    member: BuiltMember,
    community: { community: Community },
    options: { status?: MembershipStatus; roles?: CommunityRole[] } = {},
  ) {
    const membership = new Membership();
    membership.status = options.status ?? MembershipStatus.ACTIVE;
    membership.roles = options.roles ?? [];
    membership.notificationPreference = NotificationPreference.REALTIME;
    membership.joinedAt = membership.status === MembershipStatus.ACTIVE ? new Date() : null;
    const em = this.server.em();
    membership.member = em.getReference(Member, member.member.id);
    membership.community = em.getReference(Community, community.community.id);
    await em.persist(membership).flush();
    return { membership, id: toGlobalId('Membership', membership.id) };
  }

  /** A member who is ACTIVE in the community, optionally with roles. */
  async activeMember(community: { community: Community }, roles: CommunityRole[] = [], orgRole: OrgRole = OrgRole.MEMBER) {
    const member = await this.member({ orgRole });
    const membership = await this.membership(member, community, { roles });
    return { ...member, membershipId: membership.id };
  }

  async thread(
    community: { community: Community },
    author: BuiltMember,
    overrides: Partial<Pick<Thread, 'title' | 'body' | 'kind' | 'pinned' | 'locked' | 'lastActivityAt' | 'tags'>> = {},
  ) {
    const em = this.server.em();
    const thread = new Thread();
    thread.community = em.getReference(Community, community.community.id);
    thread.author = em.getReference(Member, author.member.id);
    thread.title = overrides.title ?? `Thread ${unique()}`;
    thread.body = overrides.body ?? 'What do you think?';
    thread.kind = overrides.kind ?? ThreadKind.DISCUSSION;
    thread.pinned = overrides.pinned ?? false;
    thread.locked = overrides.locked ?? false;
    thread.tags = overrides.tags ?? [];
    thread.lastActivityAt = overrides.lastActivityAt ?? thread.createdAt;
    await em.persist(thread).flush();
    return { thread, id: toGlobalId('Thread', thread.id) };
  }

  /** A reply, keeping the thread's replyCount and lastActivityAt right as the app does. */
  async post(thread: { thread: Thread }, author: BuiltMember, overrides: { body?: string; createdAt?: Date } = {}) {
    const em = this.server.em();
    const post = new Post();
    post.thread = em.getReference(Thread, thread.thread.id);
    post.author = em.getReference(Member, author.member.id);
    post.body = overrides.body ?? `Reply ${unique()}`;
    if (overrides.createdAt) post.createdAt = overrides.createdAt;
    em.persist(post);
    await em.flush();
    await em.execute('update thread set reply_count = reply_count + 1, last_activity_at = greatest(last_activity_at, ?) where id = ?', [
      post.createdAt.toISOString(),
      thread.thread.id,
    ]);
    return { post, id: toGlobalId('Post', post.id) };
  }

  /** A shared resource, written directly (no event); `createdAt` lets ordering tests control time. */
  async resource(
    community: { community: Community },
    sharer: BuiltMember,
    overrides: Partial<Pick<Resource, 'title' | 'url' | 'description' | 'kind' | 'tags' | 'endorsementCount' | 'createdAt' | 'removedAt'>> = {},
  ) {
    const em = this.server.em();
    const resource = new Resource();
    resource.community = em.getReference(Community, community.community.id);
    resource.sharedBy = em.getReference(Member, sharer.member.id);
    resource.title = overrides.title ?? `Resource ${unique()}`;
    resource.url = overrides.url ?? `https://example.org/${unique()}`;
    resource.description = overrides.description ?? '';
    resource.kind = overrides.kind ?? ResourceKind.LINK;
    resource.tags = overrides.tags ?? [];
    resource.endorsementCount = overrides.endorsementCount ?? 0;
    if (overrides.createdAt) resource.createdAt = overrides.createdAt;
    resource.removedAt = overrides.removedAt ?? null;
    await em.persist(resource).flush();
    return { resource, id: toGlobalId('Resource', resource.id) };
  }
}

export { CommunityRole, CommunityVisibility, MembershipStatus, OrgRole, ResourceKind, ThreadKind };
