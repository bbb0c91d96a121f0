import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** A new signing secret as Standard Webhooks spells it: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/**
 * Secrets are kept encrypted (AES-256-GCM) under a key derived from JWT_SECRET, so a database dump alone does not let
 * anyone forge deliveries. Changing JWT_SECRET therefore makes existing webhooks unable to sign (their deliveries
 * fail with a clear error): recreate them after a rotation.
 */
function key(masterSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterSecret, 'practicehub-webhooks', 'webhook signing secret', 32));
}

export function encryptWebhookSecret(secret: string, masterSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(masterSecret), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
}

/** The secret again; throws when the ciphertext was not made with this master secret. */
export function decryptWebhookSecret(stored: string, masterSecret: string): string {
  const [version, iv, tag, body] = stored.split(':');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unknown webhook secret format');
  const decipher = createDecipheriv('aes-256-gcm', key(masterSecret), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}
