import { DateTime } from 'luxon';
import type { Config } from '../config';
import { toGlobalId } from '../shared/ids';

/**
 * One layout for every email, producing the plain-text and the HTML part from the same content, so the two never
 * say different things. Every value is HTML-escaped here; callers pass plain text, never markup.
 */
export interface MailItem {
  text: string;
  href?: string;
  /** A second, quieter line ("by Ada Lovelace, Wed 2 Dec 2026, 08:00 America/Chicago · 3 replies"). */
  detail?: string;
}

export interface MailList {
  title: string;
  items: MailItem[];
  /** Said after the items ("and 4 more"). */
  more?: string;
}

export interface MailSection {
  heading: string;
  href?: string;
  lists: MailList[];
}

export interface MailContent {
  heading: string;
  paragraphs?: string[];
  sections?: MailSection[];
  /** The one thing to do next (a button in HTML, a line in text). */
  action?: { label: string; href: string };
  /** Why the member gets this mail (shown in the footer). */
  reason: string;
  unsubscribeUrl: string;
  /** "Unsubscribe from the daily digest". */
  unsubscribeLabel: string;
}

export interface RenderedMail {
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** An absolute link under PUBLIC_URL (`path` starts with a slash). */
export const publicLink = (config: Pick<Config, 'publicUrl'>, path: string): string => `${config.publicUrl}${path}`;

/** The community in the web client (today the /demo page, which opens `#c=<slug>`). */
export const communityLink = (config: Pick<Config, 'publicUrl'>, slug: string): string =>
  publicLink(config, `/demo#c=${encodeURIComponent(slug)}`);

/** A thread in the web client (`#c=<slug>&t=<global thread id>`); `threadId` is the database id. */
export const threadLink = (config: Pick<Config, 'publicUrl'>, slug: string, threadId: string): string =>
  publicLink(config, `/demo#c=${encodeURIComponent(slug)}&t=${encodeURIComponent(toGlobalId('Thread', threadId))}`);

/**
 * A time as a member reads it: in their zone (Member.timeZone; the organisation's when they set none), with the
 * zone named so nobody has to guess ("Wed 2 Dec 2026, 08:00 America/Chicago"). An unknown zone falls back to
 * the organisation's.
 */
export function formatTime(config: Pick<Config, 'orgTimeZone'>, date: Date, zone: string | null | undefined = config.orgTimeZone): string {
  const key = `${zone || config.orgTimeZone}|${config.orgTimeZone}|${date.getTime()}`;
  let formatted = formattedTimes.get(key);
  if (formatted === undefined) {
    let local = DateTime.fromJSDate(date).setZone(zone || config.orgTimeZone);
    if (!local.isValid) local = DateTime.fromJSDate(date).setZone(config.orgTimeZone);
    formatted = `${local.setLocale('en-US').toFormat('ccc d LLL yyyy, HH:mm')} ${local.zoneName}`;
    // A digest run formats the same few hundred item times for thousands of members: keep them, boundedly.
    if (formattedTimes.size >= 20_000) formattedTimes.clear();
    formattedTimes.set(key, formatted);
  }
  return formatted;
}

const formattedTimes = new Map<string, string>();

function renderText(config: Pick<Config, 'publicUrl'>, content: MailContent): string {
  const lines: string[] = [content.heading, '='.repeat(Math.min(content.heading.length, 72)), ''];
  for (const paragraph of content.paragraphs ?? []) lines.push(paragraph, '');
  for (const section of content.sections ?? []) {
    lines.push(`## ${section.heading}`);
    if (section.href) lines.push(section.href);
    lines.push('');
    for (const list of section.lists) {
      lines.push(list.title);
      for (const item of list.items) {
        lines.push(`- ${item.text}`);
        if (item.detail) lines.push(`  ${item.detail}`);
        if (item.href) lines.push(`  ${item.href}`);
      }
      if (list.more) lines.push(`  ${list.more}`);
      lines.push('');
    }
  }
  if (content.action) lines.push(`${content.action.label}: ${content.action.href}`, '');
  lines.push('--', content.reason, `${content.unsubscribeLabel}: ${content.unsubscribeUrl}`, `PracticeHub: ${config.publicUrl}`);
  return `${lines.join('\n')}\n`;
}

const STYLE = {
  body: 'margin:0;padding:24px;background:#f5f5f4;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1c1917;',
  card: 'max-width:600px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px;',
  h1: 'font-size:20px;margin:0 0 16px;',
  h2: 'font-size:17px;margin:24px 0 8px;border-top:1px solid #e7e5e4;padding-top:16px;',
  h3: 'font-size:14px;margin:12px 0 4px;color:#57534e;text-transform:uppercase;letter-spacing:0.03em;',
  link: 'color:#1d4ed8;',
  detail: 'color:#78716c;font-size:13px;',
  button: 'display:inline-block;background:#1d4ed8;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none;',
  footer: 'max-width:600px;margin:16px auto 0;color:#78716c;font-size:12px;',
};

const anchor = (href: string, text: string, style = STYLE.link) => `<a href="${escapeHtml(href)}" style="${style}">${escapeHtml(text)}</a>`;

function renderHtml(config: Pick<Config, 'publicUrl'>, content: MailContent): string {
  const parts: string[] = [`<h1 style="${STYLE.h1}">${escapeHtml(content.heading)}</h1>`];
  for (const paragraph of content.paragraphs ?? []) parts.push(`<p>${escapeHtml(paragraph)}</p>`);
  for (const section of content.sections ?? []) {
    const heading = section.href ? anchor(section.href, section.heading, 'color:inherit;') : escapeHtml(section.heading);
    parts.push(`<h2 style="${STYLE.h2}">${heading}</h2>`);
    for (const list of section.lists) {
      parts.push(`<h3 style="${STYLE.h3}">${escapeHtml(list.title)}</h3>`, '<ul style="padding-left:20px;margin:0;">');
      for (const item of list.items) {
        const text = item.href ? anchor(item.href, item.text) : escapeHtml(item.text);
        const detail = item.detail ? `<br><span style="${STYLE.detail}">${escapeHtml(item.detail)}</span>` : '';
        parts.push(`<li style="margin:4px 0;">${text}${detail}</li>`);
      }
      parts.push('</ul>');
      if (list.more) parts.push(`<p style="${STYLE.detail}">${escapeHtml(list.more)}</p>`);
    }
  }
  if (content.action) parts.push(`<p style="margin-top:24px;">${anchor(content.action.href, content.action.label, STYLE.button)}</p>`);
  const footer =
    `<p>${escapeHtml(content.reason)}</p>` +
    `<p>${anchor(content.unsubscribeUrl, content.unsubscribeLabel)} · ${anchor(config.publicUrl, 'PracticeHub')}</p>`;
  return (
    '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    `<title>${escapeHtml(content.heading)}</title></head>` +
    `<body style="${STYLE.body}"><div style="${STYLE.card}">${parts.join('')}</div>` +
    `<div style="${STYLE.footer}">${footer}</div></body></html>`
  );
}

export function renderMail(config: Pick<Config, 'publicUrl'>, content: MailContent): RenderedMail {
  return { text: renderText(config, content), html: renderHtml(config, content) };
}
