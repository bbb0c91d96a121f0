import { normalizeHttpUrl } from '../resources/resourceUrl';
import { isRefusedAddress, literalAddress } from './delivery/networkAddress';

/**
 * Why a webhook URL is refused, or null when it is fine: only absolute http(s) URLs without credentials, and (unless
 * private networks are allowed) not a literal loopback, private, link-local or unspecified address. A DNS name is
 * checked again at every delivery, against every address it resolves to (see delivery/sendWebhook.ts).
 */
export function webhookUrlProblem(raw: string, allowPrivateNetworks: boolean): { url: string } | { problem: string } {
  const url = normalizeHttpUrl(raw);
  if (!url) return { problem: 'must be an absolute http:// or https:// URL without credentials' };
  const address = literalAddress(new URL(url).hostname);
  if (!allowPrivateNetworks && address && isRefusedAddress(address)) {
    return { problem: 'must not be a loopback, private, link-local or unspecified address' };
  }
  return { url };
}
