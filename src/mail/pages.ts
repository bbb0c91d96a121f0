import { escapeHtml } from './render';
import type { StoredMail } from './localMailbox';

/** Small server-rendered pages: the local mailbox and the unsubscribe confirmation. No script anywhere. */

const PAGE_STYLE =
  'body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;padding:24px;color:#1c1917;background:#fafaf9}' +
  'main{max-width:960px;margin:0 auto}table{border-collapse:collapse;width:100%}' +
  'th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e7e5e4;vertical-align:top;font-size:14px}' +
  'pre{white-space:pre-wrap;background:#fff;border:1px solid #e7e5e4;padding:12px;font-size:13px}' +
  'iframe{width:100%;height:640px;border:1px solid #e7e5e4;background:#fff}' +
  'button{font-size:16px;padding:10px 18px;border-radius:6px;border:0;background:#1d4ed8;color:#fff;cursor:pointer}' +
  '.muted{color:#78716c}a{color:#1d4ed8}';

export function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head><body><main>${body}</main></body></html>`
  );
}

const time = (date: Date) => escapeHtml(date.toISOString().replace('T', ' ').slice(0, 19) + ' UTC');

export function mailboxListPage(messages: StoredMail[]): string {
  const rows = messages
    .map(
      (mail) =>
        `<tr><td>${time(mail.createdAt)}</td><td>${escapeHtml(mail.to)}</td>` +
        `<td><a href="/demo/mail/${escapeHtml(mail.id)}">${escapeHtml(mail.subject)}</a></td><td class="muted">${escapeHtml(mail.category)}</td></tr>`,
    )
    .join('');
  const table = messages.length
    ? `<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th><th>Kind</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p class="muted">No mail yet. Digests, notifications and community mail appear here as they are sent.</p>';
  return page(
    'Local mailbox',
    `<h1>Local mailbox</h1><p class="muted">SMTP_URL is not set, so PracticeHub keeps its outgoing mail here instead of ` +
      `sending it (newest first). Set SMTP_URL to send real mail.</p>${table}`,
  );
}

export function mailboxMessagePage(mail: StoredMail): string {
  const headers = Object.entries(mail.headers)
    .map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  // The HTML part runs in a sandboxed frame (no scripts, its own origin); links open in a new tab.
  const srcdoc = `<base target="_blank">${mail.html}`;
  return page(
    mail.subject,
    `<p><a href="/demo/mail">← Mailbox</a></p><h1>${escapeHtml(mail.subject)}</h1>` +
      `<table><tbody><tr><th>Stored</th><td>${time(mail.createdAt)}</td></tr>${headers}</tbody></table>` +
      `<h2>HTML part</h2><iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(srcdoc)}"></iframe>` +
      `<h2>Text part</h2><pre>${escapeHtml(mail.text)}</pre>`,
  );
}

export function unsubscribeConfirmPage(what: string, action: string): string {
  return page(
    'Unsubscribe',
    `<h1>Unsubscribe</h1><p>Stop ${escapeHtml(what)}?</p>` +
      `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
      `<button type="submit">Unsubscribe</button></form>` +
      `<p class="muted">Nothing changes until you press the button. You can turn mail back on in your settings.</p>`,
  );
}

export function unsubscribeDonePage(what: string, already: boolean): string {
  return page(
    'Unsubscribed',
    `<h1>${already ? 'Already unsubscribed' : 'Unsubscribed'}</h1><p>You will no longer receive ${escapeHtml(what)}.</p>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
