import { lookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { isRefusedAddress, literalAddress } from './networkAddress';

/** How one HTTP attempt ended. */
export type SendOutcome =
  /** The receiver answered (any status; only 2xx is a success). */
  | { kind: 'answered'; status: number }
  /** Not sent: the address is one webhooks may not reach. Permanent. */
  | { kind: 'refused'; reason: string }
  /** No answer: DNS, connection, TLS or timeout. Worth retrying. */
  | { kind: 'failed'; reason: string };

export interface SendOptions {
  timeoutMs: number;
  allowPrivateNetworks: boolean;
}

function resolveAll(hostname: string, timeoutMs: number): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`DNS lookup of ${hostname} took longer than ${timeoutMs} ms`)), timeoutMs);
    lookup(hostname, { all: true }, (error, addresses) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(addresses);
    });
  });
}

/**
 * POSTs one signed body. The host is resolved here and every address it resolves to is checked (unless private
 * networks are allowed); the connection then goes to those checked addresses only (a custom `lookup`), so a DNS
 * answer that changes between the check and the connection (rebinding) cannot reach a refused address. Redirects
 * are not followed (a 3xx is a failure like any other non-2xx); the whole attempt is bounded by `timeoutMs`.
 */
export async function sendWebhook(target: string, headers: Record<string, string>, body: string, options: SendOptions): Promise<SendOutcome> {
  const url = new URL(target);
  // One deadline for the whole attempt: the DNS lookup's time comes out of the request's.
  const deadline = Date.now() + options.timeoutMs;
  const literal = literalAddress(url.hostname);
  let addresses: LookupAddress[];
  try {
    addresses = literal ? [{ address: literal, family: isIP(literal) }] : await resolveAll(url.hostname, options.timeoutMs);
  } catch (error) {
    return { kind: 'failed', reason: `Could not resolve ${url.hostname}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  if (!addresses.length) return { kind: 'failed', reason: `${url.hostname} has no address` };
  if (!options.allowPrivateNetworks) {
    const refused = addresses.find((entry) => isRefusedAddress(entry.address));
    if (refused) {
      const what = literal ? refused.address : `${url.hostname} resolves to ${refused.address}, which`;
      return { kind: 'refused', reason: `${what} is a loopback, private or link-local address (WEBHOOK_ALLOW_PRIVATE_NETWORKS is off)` };
    }
  }
  const pinnedLookup = ((_host: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (lookupOptions.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as unknown as RequestOptions['lookup'];
  const remainingMs = deadline - Date.now();
  if (remainingMs <= 0) return { kind: 'failed', reason: `No answer within ${options.timeoutMs} ms` };
  const signal = AbortSignal.timeout(remainingMs);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendOutcome>((resolve) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'PracticeHub-Webhooks/1.0', ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup,
        agent: false, // a fresh connection to the checked address each time, never a pooled one
        signal,
      },
      (response) => {
        resolve({ kind: 'answered', status: response.statusCode ?? 0 });
        response.on('error', () => undefined);
        response.resume(); // the body is not used; the timeout's abort ends an endless one
      },
    );
    request.on('error', (error) => {
      resolve({ kind: 'failed', reason: signal.aborted ? `No answer within ${options.timeoutMs} ms` : `Could not deliver: ${(error as NodeJS.ErrnoException).code ?? error.message}` });
    });
    request.end(body);
  });
}
