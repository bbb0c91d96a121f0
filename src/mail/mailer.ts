/**
 * The interface every part of the API sends mail through (the implementation: SMTP via nodemailer when SMTP_URL
 * is set, otherwise the local mailbox, readable at /demo/mail). Rendering and unsubscribe links: see render.ts and
 * unsubscribe.ts beside this file.
 */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers; `List-Unsubscribe` and `List-Unsubscribe-Post` are set from `unsubscribeUrl`. */
  headers?: Record<string, string>;
  /** The one-click unsubscribe URL for this mail's kind (every mail carries one). */
  unsubscribeUrl: string;
  /** What kind of mail it is (`notification:REPLY_TO_THREAD`, `community:NEW_THREAD`, `digest:DAILY`): logs, mailbox. */
  category: string;
  /** The member it is for (mailbox and logs). */
  memberId: string;
}

export interface Mailer {
  /** Sends or fails (throws): the job that called it retries. */
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}
