import { badField } from './errors';

/**
 * Global Node IDs: opaque to clients, `base64url("<Type>:<uuid>")`, so `node(id)` knows which table to read.
 */
export const NODE_TYPES = ['Member', 'Community', 'Membership', 'Thread', 'Post', 'Resource'] as const;
export type NodeType = (typeof NODE_TYPES)[number] | (string & {});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A row id as the database stores it (lower-case UUID text). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export interface DecodedId {
  type: string;
  id: string;
}

/** Decodes a global ID; null when it is not one of ours. */
export function fromGlobalId(globalId: string): DecodedId | null {
  if (typeof globalId !== 'string' || globalId.length > 200) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 1) return null;
  const type = decoded.slice(0, separator);
  const id = decoded.slice(separator + 1);
  if (!UUID.test(id)) return null;
  return { type, id };
}

/** Decodes an ID argument that must name a given type; a wrong or malformed ID is BAD_USER_INPUT on that field. */
export function parseId(globalId: string, type: string, field: string): string {
  const decoded = fromGlobalId(globalId);
  if (!decoded || decoded.type !== type) throw badField(field, `is not a valid ${type} ID`);
  return decoded.id;
}
