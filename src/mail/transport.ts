import type { Config } from '../config';
import type { Orm } from '../db/orm';
import { LocalMailbox } from './localMailbox';
import type { Mailer } from './mailer';
import { SmtpMailer } from './smtpMailer';

/** SMTP when SMTP_URL is set; otherwise the local mailbox (readable at /demo/mail). */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>, orm: Orm): Mailer {
  return config.smtpUrl ? new SmtpMailer(config.smtpUrl, config.mailFrom) : new LocalMailbox(orm, config.mailFrom);
}
