import { CreateWebhookDocument, DecideProposalDocument, ProposalInboxDocument, type ProposalDecision, type WebhookEventType } from '../generated/graphql';
import { CommunityRole, OrgRole } from '../support/factories';
import { expectData, startTestServer, type TestServer } from '../support/server';
import { fromGlobalId } from '../../src/shared/ids';
import { Webhook } from '../../src/modules/webhooks/webhook.entity';
import { NOT_READABLE, prepareDelivery } from '../../src/modules/webhooks/delivery/payload';
import { loadStoredEvent } from '../../src/events/storedEvent';
import { advanceProposals } from '../../src/modules/governance/proposals/jobs/advanceProposals';
import { captureMail, fanOutAll, notificationsOf } from '../notifications/support';
import { deliveryRows, eventually, jobsDone, Receiver } from '../webhooks/receiver';
import { insertMeeting, propose, receivedAt, seconds } from './proposalSupport';

let server: TestServer;
let receiver: Receiver;
beforeAll(async () => {
  receiver = await Receiver.start();
  server = await startTestServer({ PROPOSAL_TIMELINE_CRON: '0 0 1 1 *', EMAIL_DELAY_SECONDS: '3600', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
  captureMail(server);
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});
afterEach(() => expect(server.unexpectedErrors).toEqual([]));

const eventIdOf = async (type: string, proposalDbId: string) =>
  (await server.em().execute<{ id: string }[]>("select id::text from domain_event where type = ? and payload->>'proposalId' = ?", [type, proposalDbId]))[0]!.id;
const recipients = async (eventId: string) => (await notificationsOf(server, eventId)).map((n) => `${n.recipient_id}:${n.kind}`);
const decide = async (token: string, proposalId: string, decision: 'APPROVE' | 'DECLINE', note?: string) =>
  expectData(await server.gql(DecideProposalDocument, { input: { proposalId, decision: decision as ProposalDecision, note } }, { token })).decideProposal;

describe('proposal notifications', () => {
  it('tell every board and staff member of a new proposal (not the proposer, not other members), about the proposal', async () => {
    const boardMember = await server.factories.member({ orgRole: OrgRole.BOARD });
    const staff = await server.factories.staff();
    const bystander = await server.factories.member({ orgRole: OrgRole.COUNCIL });
    const proposer = await server.factories.member();
    const proposal = await propose(server, proposer.token, { name: 'Storytime' });
    // A board member proposing is not told of their own proposal.
    const boardProposer = await server.factories.member({ orgRole: OrgRole.BOARD });
    const own = await propose(server, boardProposer.token);
    await fanOutAll(server);

    const heard = await recipients(await eventIdOf('ProposalSubmitted', proposal.dbId));
    expect(heard).toEqual(expect.arrayContaining([`${boardMember.member.id}:PROPOSAL_SUBMITTED`, `${staff.member.id}:PROPOSAL_SUBMITTED`, `${boardProposer.member.id}:PROPOSAL_SUBMITTED`]));
    expect(heard.join()).not.toContain(proposer.member.id);
    expect(heard.join()).not.toContain(bystander.member.id);
    expect((await recipients(await eventIdOf('ProposalSubmitted', own.dbId))).join()).not.toContain(boardProposer.member.id);
    const [row] = await notificationsOf(server, await eventIdOf('ProposalSubmitted', proposal.dbId));
    expect(row).toMatchObject({ subject_type: 'CommunityProposal', subject_id: proposal.dbId, title: expect.stringContaining('“Storytime”') });

    // The inbox re-reads the subject through the proposal's read rule.
    const inbox = expectData(await server.gql(ProposalInboxDocument, {}, { token: boardMember.token })).viewer!.notifications.edges;
    expect(inbox.find((e) => e.node.subject?.id === proposal.id)?.node).toMatchObject({ kind: 'PROPOSAL_SUBMITTED', subject: { __typename: 'CommunityProposal' } });
    // Demoted since: the notification stays, its subject is no longer readable.
    await server.em().execute("update member set org_role = 'MEMBER' where id = ?", [boardMember.member.id]);
    const after = expectData(await server.gql(ProposalInboxDocument, {}, { token: boardMember.token })).viewer!.notifications.edges;
    expect(after.find((e) => e.node.title.includes('“Storytime”'))?.node.subject).toBeNull();
  });

  it('tell the proposer of the decision, and board and staff of an overdue proposal once', async () => {
    const boardMember = await server.factories.member({ orgRole: OrgRole.BOARD });
    const proposer = await server.factories.member();
    const approved = await propose(server, proposer.token, { name: 'Approved one' });
    const declined = await propose(server, proposer.token, { name: 'Declined one' });
    await decide(boardMember.token, approved.id, 'APPROVE');
    await decide(boardMember.token, declined.id, 'DECLINE', 'Overlaps');
    const late = await propose(server, proposer.token, { name: 'Late one' });
    await receivedAt(server, late.dbId, seconds(-120));
    await insertMeeting(server, seconds(-90));
    await insertMeeting(server, seconds(-60));
    await advanceProposals(server.app.services);
    await advanceProposals(server.app.services);
    await fanOutAll(server);

    expect(await recipients(await eventIdOf('ProposalDecided', approved.dbId))).toEqual([`${proposer.member.id}:PROPOSAL_DECIDED`]);
    const titles = (await notificationsOf(server, await eventIdOf('ProposalDecided', declined.dbId))).map((n) => n.title);
    expect(titles).toEqual(['Your proposal “Declined one” was declined']);
    const inbox = expectData(await server.gql(ProposalInboxDocument, {}, { token: proposer.token })).viewer!.notifications.edges;
    expect(inbox.filter((e) => e.node.kind === 'PROPOSAL_DECIDED').map((e) => e.node.subject?.id).sort()).toEqual([approved.id, declined.id].sort());

    const overdue = await notificationsOf(server, await eventIdOf('ProposalOverdue', late.dbId));
    expect(overdue.map((n) => n.recipient_id)).toEqual(expect.arrayContaining([boardMember.member.id]));
    expect(overdue.map((n) => n.recipient_id)).not.toContain(proposer.member.id);
    expect(await server.em().execute("select count(*)::int as n from notification where kind = 'PROPOSAL_OVERDUE' and subject_id = ? and recipient_id = ?", [late.dbId, boardMember.member.id])).toEqual([{ n: 1 }]);
    await server.em().execute('delete from board_meeting');
  });
});

describe('proposal webhooks', () => {
  it("reach a staff webhook for every community, never a community LEAD's webhook (the events have no community)", async () => {
    const staff = await server.factories.staff();
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const events = ['PROPOSAL_SUBMITTED', 'PROPOSAL_DECIDED'] as WebhookEventType[];
    const create = async (token: string, path: string, communityId: string | null) =>
      expectData(await server.gql(CreateWebhookDocument, { input: { url: receiver.answer(path, 200), events, communityId } }, { token })).createWebhook.webhook;
    const all = await create(staff.token, '/proposals-all', null);
    const leads = await create(lead.token, '/proposals-lead', community.id);
    // The proposer is the community's lead: still, their community's webhook hears nothing of the proposal.
    const proposal = await propose(server, lead.token, { name: 'Webhooked' });
    const decided = await decide(staff.token, proposal.id, 'APPROVE');
    await server.app.services.dispatcher.settled();
    await eventually(() => receiver.on('/proposals-all').length >= 2, 10_000, 'two deliveries');
    await jobsDone(server, 'webhooks.fan-out');

    const rows = await eventually(async () => {
      const found = await deliveryRows(server, fromGlobalId(all.id)!.id);
      return found.length === 2 && found.every((row) => row.status === 'SUCCEEDED') && found;
    });
    // Deliveries of one webhook run side by side: in no particular order.
    expect(rows.map((r) => [r.event_type, r.status]).sort()).toEqual([
      ['PROPOSAL_DECIDED', 'SUCCEEDED'],
      ['PROPOSAL_SUBMITTED', 'SUCCEEDED'],
    ]);
    const bodies = receiver.on('/proposals-all').map((r) => JSON.parse(r.body) as { type: string; data: Record<string, any> });
    const body = (type: string) => bodies.find((b) => b.type === type)!;
    expect(body('PROPOSAL_SUBMITTED').data).toMatchObject({ community: null, actor: { id: lead.id }, proposal: { id: proposal.id, name: 'Webhooked', proposer: { id: lead.id } } });
    expect(body('PROPOSAL_DECIDED').data.proposal).toMatchObject({ id: proposal.id, status: 'APPROVED', decision: 'APPROVE', community: { id: decided.community!.id } });
    expect(await deliveryRows(server, fromGlobalId(leads.id)!.id)).toEqual([]);
    expect(receiver.on('/proposals-lead')).toEqual([]);
  });

  it('say nothing of a proposal to a webhook owner who may not read it, even if one were matched', async () => {
    const community = await server.factories.community();
    const lead = await server.factories.activeMember(community, [CommunityRole.LEAD]);
    const proposal = await propose(server, (await server.factories.member()).token);
    const em = server.em();
    const webhook = em.create(Webhook, { community: community.community, owner: lead.member.id, url: 'https://example.org/hook', events: ['PROPOSAL_SUBMITTED' as never], secretCiphertext: 'x' } as never);
    const stored = await loadStoredEvent(em, await eventIdOf('ProposalSubmitted', proposal.dbId));
    expect(await prepareDelivery(server.app.services, em, webhook, stored!, 'PROPOSAL_SUBMITTED')).toEqual({ skipped: NOT_READABLE.reason });
  });
});
