import { createTransport, type Transporter } from 'nodemailer';
import type { Mailer, OutgoingMail } from './mailer';
import { unsubscribeHeaders } from './unsubscribe';

/** Mail through SMTP_URL (nodemailer). Pooled connections, so a digest batch sends many mails at once. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    options: { maxConnections?: number } = {},
  ) {
    this.transport = createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections: options.maxConnections ?? 8,
      maxMessages: 1_000,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  /** Resolves once the server accepted the message; any refusal (4xx, 5xx) or network error rejects. */
  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      // Chosen up front: nodemailer would otherwise scan every body to pick one, the costliest step of a digest run.
      textEncoding: 'base64',
      headers: { ...mail.headers, ...unsubscribeHeaders(mail.unsubscribeUrl), 'X-PracticeHub-Category': mail.category },
    });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
