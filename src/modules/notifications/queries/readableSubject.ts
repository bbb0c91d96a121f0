import type { Context } from '../../../context';
import { AppError } from '../../../shared/errors';
import { toGlobalId } from '../../../shared/ids';
import { readNode } from '../../../shared/nodes';
import type { Notification } from '../notification.entity';

/** A notification's subject read through its own node policy; null when it is gone or the viewer may not read it now. */
export async function readableSubject(ctx: Context, notification: Notification): Promise<object | null> {
  if (!notification.subjectType || !notification.subjectId) return null;
  try {
    return await readNode(ctx, toGlobalId(notification.subjectType, notification.subjectId));
  } catch (error) {
    if (error instanceof AppError && (error.code === 'FORBIDDEN' || error.code === 'UNAUTHENTICATED')) return null;
    throw error;
  }
}
