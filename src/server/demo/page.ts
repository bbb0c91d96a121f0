/**
 * The demo page's markup and styles, kept as TypeScript constants so they ship with `tsc` output and load the
 * same way from `src` (tests, `npm run dev`) and `dist` (`npm start`). The behaviour is in `client.ts`.
 */

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function demoHtml(defaults: { email: string; password: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PracticeHub · live demo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/demo/style.css">
<script src="/demo/graphql-ws.js" defer></script>
<script src="/demo/app.js" defer></script>
</head>
<body>
<header class="top">
  <h1>PracticeHub <span class="muted">live demo</span></h1>
  <span id="live-status" class="pill" data-testid="live-status" data-state="idle">not connected</span>
  <div class="auth">
    <form id="login-form" data-testid="login-form" autocomplete="on">
      <input id="email" name="email" type="email" autocomplete="username" aria-label="Email" value="${escapeAttribute(defaults.email)}" required>
      <input id="password" name="password" type="password" autocomplete="current-password" aria-label="Password" value="${escapeAttribute(defaults.password)}" required>
      <button id="login" type="submit">Sign in</button>
    </form>
    <div id="signed-in" hidden>
      <span id="auth-status" data-testid="auth-status"></span>
      <button id="logout" type="button" class="link">Sign out</button>
    </div>
  </div>
</header>
<main class="layout">
  <aside class="side">
    <h2>Communities</h2>
    <ul id="communities" class="list" data-testid="communities"><li class="muted">Loading…</li></ul>
    <h2>Threads</h2>
    <ul id="threads" class="list" data-testid="threads"><li class="muted">Pick a community.</li></ul>
    <h2>Meetings</h2>
    <ul id="meetings" class="list" data-testid="meetings"><li class="muted">Pick a community.</li></ul>
  </aside>
  <section class="content">
    <p id="empty" class="muted empty">Open a thread to follow it live, or a meeting.</p>
    <article id="thread" data-testid="thread-view" hidden>
      <header class="thread-head">
        <h2 id="thread-title" data-testid="thread-title"></h2>
        <div id="presence" class="presence" data-testid="presence" title="Members following this thread now">
          <span class="dot" aria-hidden="true"></span>
          <span id="presence-count" data-testid="presence-count">–</span>
          <span>here</span>
          <span id="presence-names" class="muted" data-testid="presence-names"></span>
        </div>
      </header>
      <p id="thread-body" class="thread-body"></p>
      <section id="poll" class="poll" data-testid="poll" hidden>
        <h3 id="poll-question" data-testid="poll-question"></h3>
        <ul id="poll-options" class="list"></ul>
        <p class="poll-foot"><span id="poll-status" data-testid="poll-status"></span> <span id="poll-last" class="muted" data-testid="poll-last" aria-live="polite"></span></p>
      </section>
      <ol id="posts" class="posts" data-testid="posts"></ol>
      <p id="typing" class="typing" data-testid="typing" aria-live="polite"></p>
      <form id="reply-form" class="reply" data-testid="reply-form">
        <textarea id="reply-body" data-testid="reply-body" rows="3" maxlength="20000" placeholder="Sign in to reply" disabled></textarea>
        <button id="reply-send" data-testid="reply-send" type="submit" disabled>Reply</button>
      </form>
    </article>
    <article id="meeting" data-testid="meeting-view" hidden>
      <header class="thread-head">
        <h2 id="meeting-title" data-testid="meeting-title"></h2>
        <span id="meeting-meta" class="muted" data-testid="meeting-meta"></span>
      </header>
      <p id="meeting-when" class="meeting-when" data-testid="meeting-when"></p>
      <p id="meeting-place" data-testid="meeting-place"></p>
      <p id="meeting-description" class="thread-body" data-testid="meeting-description"></p>
      <p class="meeting-answers"><span id="meeting-counts" data-testid="meeting-counts"></span> <span id="meeting-answer" class="muted" data-testid="meeting-answer"></span></p>
    </article>
  </section>
</main>
<ul id="notices" class="notices" data-testid="notices" aria-live="polite"></ul>
</body>
</html>
`;
}

export const DEMO_CSS = `
:root {
  --bg: #f5f6f8; --card: #fff; --text: #1d2330; --muted: #6a7280; --line: #e1e4ea;
  --accent: #2f6fdb; --accent-soft: #e8f0fd; --ok: #1f9d55; --warn: #b7791f; --bad: #c53030;
  color-scheme: light;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; background: var(--bg); color: var(--text); }
h1 { font-size: 18px; margin: 0; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 18px 0 8px; }
.muted { color: var(--muted); font-weight: normal; }
button { font: inherit; border: 0; border-radius: 6px; padding: 6px 14px; background: var(--accent); color: #fff; cursor: pointer; }
button:disabled { opacity: .5; cursor: default; }
button.link { background: none; color: var(--accent); padding: 0 4px; }
input, textarea { font: inherit; border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; background: #fff; color: var(--text); }
input:focus, textarea:focus { outline: 2px solid var(--accent-soft); border-color: var(--accent); }

.top { display: flex; align-items: center; gap: 14px; padding: 10px 20px; background: var(--card); border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.auth { margin-left: auto; display: flex; align-items: center; }
.auth form { display: flex; gap: 6px; }
.auth input { width: 230px; }
#signed-in { display: flex; gap: 8px; align-items: center; }
.pill { font-size: 12px; padding: 2px 10px; border-radius: 999px; background: var(--line); color: var(--muted); }
.pill[data-state="live"] { background: #dff5e8; color: var(--ok); }
.pill[data-state="connecting"] { background: #fdf3dc; color: var(--warn); }
.pill[data-state="offline"] { background: #fde2e2; color: var(--bad); }

.layout { display: grid; grid-template-columns: 280px minmax(0, 1fr); gap: 20px; padding: 4px 20px 40px; max-width: 1100px; margin: 0 auto; }
@media (max-width: 760px) { .layout { grid-template-columns: 1fr; } }
.list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
.list button { width: 100%; text-align: left; background: var(--card); color: var(--text); border: 1px solid var(--line); padding: 8px 10px; display: flex; justify-content: space-between; gap: 8px; }
.list button:hover { border-color: var(--accent); }
.list button[aria-current="true"] { background: var(--accent-soft); border-color: var(--accent); }
.list .count { color: var(--muted); font-size: 12px; white-space: nowrap; }

.content { padding-top: 18px; min-width: 0; }
.empty { padding: 40px 0; text-align: center; }
article { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; }
.thread-head { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
.thread-head h2 { font-size: 20px; text-transform: none; letter-spacing: 0; color: var(--text); margin: 0; flex: 1; }
.thread-body { white-space: pre-wrap; margin: 8px 0 16px; }
.presence { font-size: 13px; display: flex; gap: 4px; align-items: center; }
.presence .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--ok); display: inline-block; }
.presence[data-state="unavailable"] .dot { background: var(--line); }
#presence-count { font-weight: 600; }

.posts { list-style: none; padding: 0; margin: 0; border-top: 1px solid var(--line); }
.posts li { padding: 10px 0; border-bottom: 1px solid var(--line); }
.posts li.fresh { animation: fresh 2s ease-out; }
@keyframes fresh { from { background: var(--accent-soft); } to { background: transparent; } }
.post-author { font-weight: 600; font-size: 13px; }
.post-meta { color: var(--muted); font-size: 12px; margin-left: 6px; }
.post-body { white-space: pre-wrap; overflow-wrap: anywhere; margin-top: 2px; }
.posts li.deleted .post-body { color: var(--muted); font-style: italic; }
.reactions { display: flex; gap: 6px; margin-top: 4px; font-size: 12px; }
.reactions span { background: var(--bg); border-radius: 999px; padding: 0 8px; }
.typing { min-height: 1.45em; margin: 8px 0; font-size: 13px; color: var(--muted); font-style: italic; }
.reply { display: flex; gap: 8px; align-items: flex-end; }
.reply textarea { flex: 1; resize: vertical; }

.poll { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin: 0 0 16px; }
.poll h3 { font-size: 15px; margin: 0 0 8px; }
.poll .list button.chosen { background: var(--accent-soft); border-color: var(--accent); }
.poll-foot { font-size: 13px; margin: 8px 0 0; }
.meeting-when { font-weight: 600; margin: 8px 0 4px; }
.meeting-answers { border-top: 1px solid var(--line); padding-top: 10px; font-size: 14px; }

.notices { position: fixed; right: 16px; bottom: 16px; list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; max-width: 360px; }
.notices li { background: #2d3340; color: #fff; font-size: 13px; padding: 8px 12px; border-radius: 8px; box-shadow: 0 4px 12px rgba(0,0,0,.15); }
.notices li[data-kind="error"] { background: var(--bad); }
`;
