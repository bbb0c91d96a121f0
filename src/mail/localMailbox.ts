import type { Em, Orm } from '../db/orm';
import { BACKGROUND, backgroundEm } from '../jobs/backgroundEm';
import type { Mailer, OutgoingMail } from './mailer';
import { unsubscribeHeaders } from './unsubscribe';

/** A message as the mailbox pages show it. */
export interface StoredMail {
  id: string;
  memberId: string | null;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  category: string;
  createdAt: Date;
}

/**
 * With SMTP_URL unset, mail is kept in the database (`mail_message`) instead of sent: the embedded default needs
 * no mail server, and /demo/mail shows what would have gone out, headers included.
 */
export class LocalMailbox implements Mailer {
  constructor(
    private readonly orm: Orm,
    private readonly from: string,
  ) {}

  async send(mail: OutgoingMail): Promise<void> {
    const headers = { From: this.from, To: mail.to, Subject: mail.subject, ...mail.headers, ...unsubscribeHeaders(mail.unsubscribeUrl), 'X-PracticeHub-Category': mail.category };
    // Mail is sent by jobs: its statements are background ones.
    await backgroundEm(this.orm).execute(
      'insert into mail_message (member_id, "to", subject, text, html, headers, category) values (?, ?, ?, ?, ?, ?, ?)',
      [mail.memberId, mail.to, mail.subject, mail.text, mail.html, JSON.stringify(headers), mail.category],
      'all',
      BACKGROUND,
    );
  }

  async close(): Promise<void> {}
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toStoredMail(row: Record<string, unknown>): StoredMail {
  const headers = (typeof row.headers === 'string' ? JSON.parse(row.headers) : row.headers) as Record<string, string>;
  return {
    id: String(row.id),
    memberId: (row.member_id as string | null) ?? null,
    to: String(row.to),
    from: headers.From ?? '',
    subject: String(row.subject),
    text: String(row.text ?? ''),
    html: String(row.html ?? ''),
    headers,
    category: String(row.category),
    createdAt: new Date(row.created_at as string),
  };
}

/** The newest messages first (without their bodies). */
export async function listMailbox(em: Em, limit = 200): Promise<StoredMail[]> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select id, member_id, "to", subject, '' as text, '' as html, headers, category, created_at from mail_message order by created_at desc, id desc limit ?`,
    [limit],
  );
  return rows.map(toStoredMail);
}

export async function findMail(em: Em, id: string): Promise<StoredMail | null> {
  if (!UUID.test(id)) return null;
  const [row] = await em.execute<Record<string, unknown>[]>('select * from mail_message where id = ?', [id]);
  return row ? toStoredMail(row) : null;
}
