/** Longest URL we store; longer ones are almost always tracking junk or an attack on whoever renders them. */
export const MAX_URL_LENGTH = 2048;

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);
// Spaces and control characters inside a URL are never intended; WHATWG parsing would silently strip or encode them.
const INVISIBLE = /[\s\u0000-\u001f\u007f]/;

/**
 * The normalised form of an absolute http(s) URL (WHATWG parsing: lower-case scheme and host, punycode, default
 * port dropped, `/` path for a bare host), or null when the text is anything else: another scheme (`javascript:`,
 * `data:`, `ftp:`, `file:`), a relative or protocol-relative reference, no host, or embedded credentials
 * (`https://trusted.example@evil.example` is a phishing trick, and a password in a shared link leaks it).
 */
export function normalizeHttpUrl(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (!text || text.length > MAX_URL_LENGTH || INVISIBLE.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text); // no base: relative references throw
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol) || !url.hostname || url.username || url.password) return null;
  // Only an explicit `scheme://` counts: WHATWG accepts `http:example.org`, which nobody means to share.
  if (!/^https?:\/\//i.test(text)) return null;
  return url.href.length <= MAX_URL_LENGTH ? url.href : null;
}
