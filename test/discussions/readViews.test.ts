import { wrap } from '@mikro-orm/core';
import { Member } from '../../src/modules/members/member.entity';
import { Post } from '../../src/modules/discussions/post.entity';
import { Thread, ThreadKind } from '../../src/modules/discussions/thread.entity';
import { readView, ReadOnlyViewError } from '../../src/shared/readViews';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The feed's pages are read as read-only views (shared/readViews): the same values as managed entities, the same
 * class for policies and getters, and no way to be saved or changed by mistake.
 */
describe('read-only views of page rows', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  async function rowsAndEntities() {
    const author = await server.factories.member({ bio: 'Bio', expertise: ['assessment', 'feedback'] });
    const community = await server.factories.community();
    const thread = await server.factories.thread(community, author, { kind: ThreadKind.QUESTION, tags: ['a', 'b c'], pinned: true });
    const reply = await server.factories.post(thread, author);
    const em = server.em();
    const [threadRow] = await em.execute<Record<string, unknown>[]>('select * from thread where id = ?', [thread.thread.id]);
    const [postRow] = await em.execute<Record<string, unknown>[]>('select * from post where id = ?', [reply.post.id]);
    // As a page includes its authors: one JSON object per row (timestamps and arrays as JSON text).
    const [{ row: memberRow }] = await em.execute<{ row: Record<string, unknown> }[]>('select row_to_json(m.*) as row from member m where id = ?', [author.member.id]);
    const fresh = em.fork();
    return {
      em: fresh,
      rows: { thread: threadRow!, post: postRow!, member: memberRow },
      managed: {
        thread: await fresh.findOneOrFail(Thread, { id: thread.thread.id }),
        post: await fresh.findOneOrFail(Post, { id: reply.post.id }),
        member: await fresh.findOneOrFail(Member, { id: author.member.id }),
      },
    };
  }

  it('carry the values MikroORM hydrates, as instances of the entity with its getters', async () => {
    const { em, rows, managed } = await rowsAndEntities();
    const views = { thread: readView(em, Thread, rows.thread), post: readView(em, Post, rows.post), member: readView(em, Member, rows.member) };
    for (const name of ['thread', 'post', 'member'] as const) {
      const view = views[name] as unknown as Record<string, unknown>;
      const entity = managed[name] as unknown as Record<string, unknown>;
      const meta = em.getMetadata().find(entity.constructor as never)!;
      for (const prop of meta.props.filter((p) => !p.lazy && p.persist !== false && (p.kind === 'scalar' || p.kind === 'm:1'))) {
        const expected = entity[prop.name];
        const actual = view[prop.name];
        if (prop.kind === 'm:1') expect([prop.name, (actual as { id?: string } | null)?.id ?? null]).toEqual([prop.name, (expected as { id?: string } | null)?.id ?? null]);
        else expect([prop.name, actual]).toEqual([prop.name, expected]);
      }
      expect(view).toBeInstanceOf(entity.constructor as never);
      expect(view.nodeId).toBe(entity.nodeId);
    }
    expect(views.post.deleted).toBe(false);
    expect(views.thread.author).toBeInstanceOf(Member);
    expect(views.thread.tags).toEqual(['a', 'b c']);
    expect(views.member.expertise).toEqual(['assessment', 'feedback']);
    expect(views.thread.lastActivityAt).toBeInstanceOf(Date);
  });

  it('are not managed and refuse to be changed, persisted or wrapped', async () => {
    const { em, rows } = await rowsAndEntities();
    const view = readView(em, Thread, rows.thread);
    expect(em.getUnitOfWork().getIdentityMap().values()).not.toContain(view);
    expect(() => {
      view.locked = true;
    }).toThrow(TypeError);
    expect(() => wrap(view)).toThrow(ReadOnlyViewError);
    expect(() => em.persist(view)).toThrow(ReadOnlyViewError);
    // A managed entity pointing at a view cannot cascade it into an INSERT either.
    const post = new Post();
    post.thread = view;
    post.author = view.author;
    post.body = 'x';
    await expect(em.persist(post).flush()).rejects.toThrow(ReadOnlyViewError);
  });
});
