import type { Em } from '../../../db/orm';
import type { Services } from '../../../context';
import type { Member } from '../../members/member.entity';
import type { Notification } from '../notification.entity';

/**
 * What a notification's email says beyond its title, per subject type (a meeting's time in the reader's zone and its
 * place), declared by the module that owns the subject. The email job has already checked the reader may read it.
 */
export type MailDetails = (services: Services, em: Em, notification: Notification, member: Member) => Promise<string[]>;
const registered = new Map<string, MailDetails>();

export function registerMailDetails(subjectType: string, details: MailDetails): void {
  if (registered.has(subjectType)) throw new Error(`The mail details of ${subjectType} are declared twice`);
  registered.set(subjectType, details);
}

/** The extra paragraphs of one notification's email (none for subject types that declare nothing). */
export async function mailDetailsOf(services: Services, em: Em, notification: Notification, member: Member): Promise<string[]> {
  const details = notification.subjectType ? registered.get(notification.subjectType) : undefined;
  return details ? details(services, em, notification, member) : [];
}
