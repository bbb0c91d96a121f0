import { DEMO_MEETING_VIEW } from './meetingView';
import { DEMO_THREAD_POLL } from './threadPoll';

/**
 * The demo page's script, served as `/demo/app.js`: plain browser JavaScript (no build step), kept as a string so
 * it ships with `tsc` output. It talks to the API exactly as a client would: queries and mutations over
 * `POST /graphql`, subscriptions through the stock graphql-ws browser client (the `graphqlWs` global from
 * `/demo/graphql-ws.js`). All user text goes into the page through `textContent`, never as markup. The thread poll
 * (threadPoll.ts) and the meetings (meetingView.ts) are parts of the same closure, kept in files of their own.
 *
 * Written without template literals so it can live inside this one.
 */
export const DEMO_SCRIPT = String.raw`(function () {
  'use strict';

  var TYPING_RESEND_MS = 3000;   // setTyping(true) at most this often while composing
  var TYPING_SHOWN_MS = 15000;   // hide someone's "typing" after this long without news (the server expires it too)
  var STORAGE_KEY = 'practicehub.demo.session';

  var POLL_FIELDS = 'fragment DemoPoll on Poll { id question multiple anonymous closed voterCount viewerVotes options { id text votes } }';

  var Q = {
    logIn: 'mutation DemoLogIn($input: LogInInput!) { logIn(input: $input) { token member { id displayName } } }',
    viewer: 'query DemoViewer { viewer { id displayName } }',
    communities: 'query DemoCommunities { communities(first: 50) { edges { node { id slug name } } } }',
    threads: 'query DemoThreads($slug: String!) { community(slug: $slug) { id name threads(first: 20) { edges { node { id title replyCount } } } } }',
    thread: 'query DemoThread($id: ID!) { thread(id: $id) { id title body locked community { slug } poll { ...DemoPoll } ' +
      'posts(first: 50) { edges { node { ...DemoPost } } } } } ' +
      'fragment DemoPost on Post { id body deleted createdAt author { id displayName } reactions { emoji count } } ' + POLL_FIELDS,
    reply: 'mutation DemoReply($input: ReplyInput!) { replyToThread(input: $input) { ...DemoPost } } ' +
      'fragment DemoPost on Post { id body deleted createdAt author { id displayName } reactions { emoji count } }',
    setTyping: 'mutation DemoSetTyping($input: SetTypingInput!) { setTyping(input: $input) }',
    presence: 'subscription DemoPresence($topicId: ID!) { presence(topicId: $topicId) { topicId count here { id displayName } } }',
  };

  function activityQuery(withTyping) {
    return 'subscription DemoThreadActivity($threadId: ID!) { threadActivity(threadId: $threadId) { __typename ' +
      '... on PostAdded { post { ...DemoPost } } ' +
      '... on PostEdited { post { ...DemoPost } } ' +
      '... on ReactionChanged { post { ...DemoPost } } ' +
      '... on PostDeleted { postId } ' +
      '... on PollVoted { poll { ...DemoPoll } voter { id displayName } } ' +
      (withTyping ? '... on TypingChanged { member { id displayName } typing } ' : '') +
      '} } fragment DemoPost on Post { id body deleted createdAt author { id displayName } reactions { emoji count } } ' + POLL_FIELDS;
  }

  var state = {
    token: null,
    me: null,
    client: null,
    slug: null,
    thread: null,          // { id, title, locked }
    poll: null,            // the open thread's poll, as last shown
    meeting: null,         // { id } of the open meeting (the content shows a thread or a meeting)
    generation: 0,         // bumped whenever the open thread or the identity changes; stale callbacks check it
    stops: [],             // unsubscribe functions of the open thread's subscriptions
    posts: new Map(),      // post id -> <li>
    typers: new Map(),     // member id -> { name, timer }
    typingSentAt: 0,
    typingOn: false,
    typingUnavailable: false,
    presenceNamesFor: null,
  };

  var $ = function (id) { return document.getElementById(id); };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = String(text);
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function notice(message, kind) {
    var item = el('li', null, message);
    item.setAttribute('data-testid', 'notice');
    item.setAttribute('data-kind', kind || 'info');
    item.title = 'Click to dismiss';
    item.addEventListener('click', function () { item.remove(); });
    $('notices').appendChild(item);
    setTimeout(function () { item.remove(); }, kind === 'error' ? 12000 : 8000);
  }

  // ---- GraphQL over HTTP ----------------------------------------------------------------------------------

  function ApiError(message, code) { this.message = message; this.code = code || null; }

  async function gql(query, variables) {
    var headers = { 'content-type': 'application/json' };
    if (state.token) headers.authorization = 'Bearer ' + state.token;
    var response, json;
    try {
      response = await fetch('/graphql', { method: 'POST', headers: headers, body: JSON.stringify({ query: query, variables: variables || {} }) });
    } catch (e) {
      throw new ApiError('The API is unreachable', 'NETWORK');
    }
    try { json = await response.json(); } catch (e) { throw new ApiError('Unexpected response (HTTP ' + response.status + ')', 'NETWORK'); }
    if (json.errors && json.errors.length) {
      var first = json.errors[0];
      var error = new ApiError(first.message, first.extensions && first.extensions.code);
      if (error.code === 'UNAUTHENTICATED' && state.token) {
        signOut();
        notice('Your session ended; please sign in again.', 'error');
      }
      throw error;
    }
    return json.data;
  }

  function describe(error) {
    if (!error) return 'Unknown error';
    if (Array.isArray(error)) return error.map(describe).join('; ');
    if (error.message) return error.message;
    if (typeof error.code === 'number') return 'connection closed (' + error.code + (error.reason ? ': ' + error.reason : '') + ')';
    return String(error);
  }

  function codeOf(error) {
    var first = Array.isArray(error) ? error[0] : error;
    return first && (first.code || (first.extensions && first.extensions.code)) || null;
  }

  // ---- graphql-ws -----------------------------------------------------------------------------------------

  function setLive(stateName, text) {
    var pill = $('live-status');
    pill.setAttribute('data-state', stateName);
    pill.textContent = text;
  }

  function socket() {
    if (state.client) return state.client;
    if (!window.graphqlWs) throw new ApiError('The graphql-ws browser client did not load');
    var token = state.token;
    var client = window.graphqlWs.createClient({
      url: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql',
      connectionParams: token ? { authorization: 'Bearer ' + token } : {},
      retryAttempts: 30,
      keepAlive: 10000,
      on: {
        connecting: function () { if (state.client === client) setLive('connecting', 'connecting…'); },
        connected: function () { if (state.client === client) setLive('live', 'live'); },
        closed: function (event) {
          if (state.client !== client) return;
          setLive('offline', 'offline');
          if (event && event.code === 4403 && state.token) {
            signOut();
            notice('The server refused this session on the socket; please sign in again.', 'error');
          }
        },
      },
    });
    state.client = client;
    return client;
  }

  function resetSocket() {
    var old = state.client;
    state.client = null;
    if (old) old.dispose();
    setLive('idle', 'not connected');
  }

  /** Subscribes for the open thread; callbacks from an older thread or identity are dropped. */
  function follow(query, variables, onData, onError) {
    var generation = state.generation;
    var current = function () { return generation === state.generation; };
    var stop = socket().subscribe({ query: query, variables: variables }, {
      next: function (result) {
        if (!current()) return;
        if (result.errors && result.errors.length) onError(result.errors);
        else if (result.data) onData(result.data);
      },
      error: function (error) { if (current()) onError(error); },
      complete: function () {},
    });
    state.stops.push(stop);
    return stop;
  }

  // ---- Session --------------------------------------------------------------------------------------------

  function renderSession() {
    var signedIn = !!state.me;
    $('login-form').hidden = signedIn;
    $('signed-in').hidden = !signedIn;
    $('auth-status').textContent = signedIn ? 'Signed in as ' + state.me.displayName : '';
    renderReplyBox();
  }

  function saveSession() {
    try {
      if (state.token) sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ token: state.token, me: state.me }));
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch (e) { /* storage may be disabled */ }
  }

  function identityChanged() {
    saveSession();
    renderSession();
    resetSocket();
    if (state.thread) openThread(state.thread.id);
    if (state.meeting) openMeeting(state.meeting.id);
  }

  function signOut() {
    stopTyping();
    state.token = null;
    state.me = null;
    identityChanged();
  }

  async function logIn(event) {
    event.preventDefault();
    var button = $('login');
    button.disabled = true;
    try {
      var data = await gql(Q.logIn, { input: { email: $('email').value.trim(), password: $('password').value } });
      state.token = data.logIn.token;
      state.me = data.logIn.member;
      identityChanged();
    } catch (error) {
      notice('Sign-in failed: ' + describe(error), 'error');
    } finally {
      button.disabled = false;
    }
  }

  async function restoreSession() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null'); } catch (e) { saved = null; }
    if (!saved || !saved.token) return;
    state.token = saved.token;
    try {
      var data = await gql(Q.viewer);
      state.me = data.viewer;
      if (!state.me) state.token = null;
    } catch (error) {
      state.token = null;
      state.me = null;
    }
    saveSession();
  }

  // ---- Communities and threads ----------------------------------------------------------------------------

  function listButton(label, count, testId, attributes, onClick) {
    var item = el('li');
    var button = el('button');
    button.type = 'button';
    button.setAttribute('data-testid', testId);
    Object.keys(attributes).forEach(function (name) { button.setAttribute(name, attributes[name]); });
    button.appendChild(el('span', 'label', label));
    if (count != null) button.appendChild(el('span', 'count', count));
    button.addEventListener('click', onClick);
    item.appendChild(button);
    return item;
  }

  function markCurrent(list, attribute, value) {
    Array.prototype.forEach.call($(list).querySelectorAll('button'), function (button) {
      button.setAttribute('aria-current', String(button.getAttribute(attribute) === value));
    });
  }

  async function loadCommunities() {
    var list = $('communities');
    try {
      var data = await gql(Q.communities);
      clear(list);
      data.communities.edges.forEach(function (edge) {
        var c = edge.node;
        list.appendChild(listButton(c.name, null, 'community', { 'data-slug': c.slug }, function () { openCommunity(c.slug); }));
      });
      if (!data.communities.edges.length) list.appendChild(el('li', 'muted', 'No communities yet.'));
      if (state.slug) markCurrent('communities', 'data-slug', state.slug);
    } catch (error) {
      clear(list);
      list.appendChild(el('li', 'muted', 'Could not load communities.'));
      notice('Communities: ' + describe(error), 'error');
    }
  }

  async function openCommunity(slug) {
    state.slug = slug;
    markCurrent('communities', 'data-slug', slug);
    loadMeetings(slug);
    var list = $('threads');
    clear(list);
    list.appendChild(el('li', 'muted', 'Loading…'));
    try {
      var data = await gql(Q.threads, { slug: slug });
      if (state.slug !== slug) return;
      clear(list);
      var community = data.community;
      if (!community) { list.appendChild(el('li', 'muted', 'No such community.')); return; }
      if (!community.threads) { list.appendChild(el('li', 'muted', 'Members only.')); return; }
      community.threads.edges.forEach(function (edge) {
        var t = edge.node;
        var replies = t.replyCount === 1 ? '1 reply' : t.replyCount + ' replies';
        list.appendChild(listButton(t.title, replies, 'thread', { 'data-thread-id': t.id }, function () { openThread(t.id); }));
      });
      if (!community.threads.edges.length) list.appendChild(el('li', 'muted', 'No threads yet.'));
      if (state.thread) markCurrent('threads', 'data-thread-id', state.thread.id);
      writeHash();
    } catch (error) {
      if (state.slug !== slug) return;
      clear(list);
      list.appendChild(el('li', 'muted', codeOf(error) === 'FORBIDDEN' ? 'Members only.' : 'Could not load threads.'));
      if (codeOf(error) !== 'FORBIDDEN') notice('Threads: ' + describe(error), 'error');
    }
  }

  // ---- The open thread ------------------------------------------------------------------------------------

  function renderPost(post, item) {
    item = item || el('li');
    clear(item);
    item.setAttribute('data-testid', 'post');
    item.setAttribute('data-post-id', post.id);
    item.classList.toggle('deleted', !!post.deleted);
    var head = el('div');
    head.appendChild(el('span', 'post-author', post.author ? post.author.displayName : 'Someone'));
    if (post.createdAt) head.appendChild(el('span', 'post-meta', new Date(post.createdAt).toLocaleString()));
    item.appendChild(head);
    var body = el('div', 'post-body', post.deleted ? 'This reply was deleted.' : post.body);
    body.setAttribute('data-testid', 'post-body');
    item.appendChild(body);
    if (post.reactions && post.reactions.length) {
      var reactions = el('div', 'reactions');
      post.reactions.forEach(function (r) { reactions.appendChild(el('span', null, r.emoji + ' ' + r.count)); });
      item.appendChild(reactions);
    }
    return item;
  }

  /** Keeps the open thread's reply count in the thread list in step with live events. */
  function bumpReplyCount(delta) {
    if (!state.thread) return;
    var button = $('threads').querySelector('[data-thread-id="' + CSS.escape(state.thread.id) + '"]');
    var count = button && button.querySelector('.count');
    if (!count) return;
    var replies = Math.max(0, (parseInt(count.textContent, 10) || 0) + delta);
    count.textContent = replies === 1 ? '1 reply' : replies + ' replies';
  }

  function upsertPost(post, fresh) {
    var existing = state.posts.get(post.id);
    if (existing) { renderPost(post, existing); return; }
    var item = renderPost(post);
    if (fresh) {
      item.classList.add('fresh');
      bumpReplyCount(1);
    }
    state.posts.set(post.id, item);
    $('posts').appendChild(item);
  }

  function markDeleted(postId) {
    var item = state.posts.get(postId);
    if (!item || item.classList.contains('deleted')) return;
    bumpReplyCount(-1);
    item.classList.add('deleted');
    var body = item.querySelector('.post-body');
    if (body) body.textContent = 'This reply was deleted.';
  }

  function renderTyping() {
    var names = Array.from(state.typers.values()).map(function (t) { return t.name; });
    var text = '';
    if (names.length === 1) text = names[0] + ' is typing…';
    else if (names.length === 2) text = names[0] + ' and ' + names[1] + ' are typing…';
    else if (names.length > 2) text = names.length + ' people are typing…';
    $('typing').textContent = text;
  }

  function setTyper(member, typing) {
    if (state.me && member.id === state.me.id) return;
    var entry = state.typers.get(member.id);
    if (entry) clearTimeout(entry.timer);
    if (typing) {
      var timer = setTimeout(function () { state.typers.delete(member.id); renderTyping(); }, TYPING_SHOWN_MS);
      state.typers.set(member.id, { name: member.displayName, timer: timer });
    } else {
      state.typers.delete(member.id);
    }
    renderTyping();
  }

  function clearTypers() {
    state.typers.forEach(function (entry) { clearTimeout(entry.timer); });
    state.typers.clear();
    renderTyping();
  }

  function applyActivity(event) {
    switch (event.__typename) {
      case 'PostAdded':
        upsertPost(event.post, true);
        if (event.post.author) setTyper(event.post.author, false);
        break;
      case 'PostEdited':
      case 'ReactionChanged':
        upsertPost(event.post, false);
        break;
      case 'PostDeleted':
        markDeleted(event.postId);
        break;
      case 'TypingChanged':
        setTyper(event.member, event.typing);
        break;
      case 'PollVoted':
        renderPoll(event.poll, event);
        break;
    }
  }

  function renderPresence(snapshot) {
    var box = $('presence');
    box.setAttribute('data-state', 'live');
    $('presence-count').textContent = String(snapshot.count);
    var names = snapshot.here.map(function (m) { return state.me && m.id === state.me.id ? m.displayName + ' (you)' : m.displayName; });
    var hidden = snapshot.count - snapshot.here.length;
    if (hidden > 0) names.push(hidden === 1 ? '1 other' : hidden + ' others');
    $('presence-names').textContent = names.length ? '· ' + names.join(', ') : '';
  }

  function presenceUnavailable(error) {
    var box = $('presence');
    box.setAttribute('data-state', 'unavailable');
    $('presence-count').textContent = '–';
    $('presence-names').textContent = '· presence unavailable';
    notice('Who is here is unavailable: ' + describe(error));
  }

  function leaveThread() {
    stopTyping();
    state.generation += 1;
    state.stops.splice(0).forEach(function (stop) { try { stop(); } catch (e) { /* already closed */ } });
    state.posts.clear();
    clearTypers();
  }

  function subscribeActivity(threadId, withTyping, buffer) {
    follow(activityQuery(withTyping), { threadId: threadId }, function (data) {
      if (buffer.events) buffer.events.push(data.threadActivity);
      else applyActivity(data.threadActivity);
    }, function (error) {
      // A server without TypingChanged yet rejects the typing fragment: follow the rest.
      if (withTyping && codeOf(error) === 'GRAPHQL_VALIDATION_FAILED') {
        notice('Typing indicators are not available on this server yet.');
        subscribeActivity(threadId, false, buffer);
        return;
      }
      notice('Live replies stopped: ' + describe(error), 'error');
    });
  }

  async function openThread(id) {
    leaveThread();
    var generation = state.generation;
    state.thread = { id: id, title: '', locked: false };
    state.meeting = null;
    markCurrent('threads', 'data-thread-id', id);
    markCurrent('meetings', 'data-meeting-id', '');
    $('empty').hidden = true;
    $('meeting').hidden = true;
    $('thread').hidden = false;
    renderPoll(null);
    $('thread-title').textContent = 'Loading…';
    $('thread-body').textContent = '';
    clear($('posts'));
    $('presence').removeAttribute('data-state');
    $('presence-count').textContent = '–';
    $('presence-names').textContent = '';
    renderReplyBox();

    // Subscribe first and hold events until the page of posts is in, so nothing falls between the two.
    var buffer = { events: [] };
    try {
      subscribeActivity(id, true, buffer);
      follow(Q.presence, { topicId: id }, function (data) { renderPresence(data.presence); }, presenceUnavailable);
    } catch (error) {
      notice('Live updates are unavailable: ' + describe(error), 'error');
    }

    try {
      var data = await gql(Q.thread, { id: id });
      if (generation !== state.generation) return;
      var thread = data.thread;
      if (!thread) { $('thread-title').textContent = 'Thread not found'; return; }
      state.thread = { id: thread.id, title: thread.title, locked: thread.locked };
      $('thread-title').textContent = thread.title;
      $('thread-body').textContent = thread.body;
      renderPoll(thread.poll);
      thread.posts.edges.forEach(function (edge) { upsertPost(edge.node, false); });
      var pending = buffer.events;
      buffer.events = null;
      pending.forEach(applyActivity);
      renderReplyBox();
      if (!state.slug && thread.community) openCommunity(thread.community.slug);
      writeHash();
    } catch (error) {
      if (generation !== state.generation) return;
      $('thread-title').textContent = codeOf(error) === 'FORBIDDEN' ? 'This thread is for members only' : 'Could not load this thread';
      notice('Thread: ' + describe(error), 'error');
    }
  }

  // ---- Replying and typing --------------------------------------------------------------------------------

  function renderReplyBox() {
    var canWrite = !!state.me && !!state.thread && !state.thread.locked;
    var box = $('reply-body');
    box.disabled = !canWrite;
    $('reply-send').disabled = !canWrite;
    box.placeholder = !state.me ? 'Sign in to reply' : state.thread && state.thread.locked ? 'This thread is locked' : 'Write a reply…';
  }

  function sendTyping(typing) {
    if (state.typingUnavailable || !state.token || !state.thread) return;
    gql(Q.setTyping, { input: { threadId: state.thread.id, typing: typing } }).catch(function (error) {
      var code = codeOf(error);
      if (code === 'RATE_LIMITED' || code === 'UNAUTHENTICATED') return;
      if (code === 'GRAPHQL_VALIDATION_FAILED') {
        state.typingUnavailable = true;
        notice('This server cannot share that you are typing yet.');
        return;
      }
      notice('Could not share that you are typing: ' + describe(error));
    });
  }

  function onReplyInput() {
    if (!state.me || !state.thread) return;
    if (!$('reply-body').value.trim()) { stopTyping(); return; }
    var now = Date.now();
    if (now - state.typingSentAt < TYPING_RESEND_MS) return;
    state.typingSentAt = now;
    state.typingOn = true;
    sendTyping(true);
  }

  function stopTyping() {
    if (!state.typingOn) return;
    state.typingOn = false;
    state.typingSentAt = 0;
    sendTyping(false);
  }

  async function sendReply(event) {
    event.preventDefault();
    var box = $('reply-body');
    var body = box.value.trim();
    if (!body || !state.thread) return;
    var threadId = state.thread.id;
    var generation = state.generation;
    stopTyping();
    $('reply-send').disabled = true;
    try {
      var data = await gql(Q.reply, { input: { threadId: threadId, body: body } });
      box.value = '';
      if (generation === state.generation) upsertPost(data.replyToThread, true);
    } catch (error) {
      notice('Reply not sent: ' + describe(error), 'error');
    } finally {
      renderReplyBox();
    }
  }

${DEMO_THREAD_POLL}
${DEMO_MEETING_VIEW}
  // ---- Address bar: #c=<slug>&t=<thread id> or #c=<slug>&m=<meeting id> ----------------------------------

  function writeHash() {
    var params = new URLSearchParams();
    if (state.slug) params.set('c', state.slug);
    if (state.thread) params.set('t', state.thread.id);
    else if (state.meeting) params.set('m', state.meeting.id);
    history.replaceState(null, '', '#' + params.toString());
  }

  // ---- Start ----------------------------------------------------------------------------------------------

  async function start() {
    $('login-form').addEventListener('submit', logIn);
    $('logout').addEventListener('click', signOut);
    $('reply-form').addEventListener('submit', sendReply);
    $('reply-body').addEventListener('input', onReplyInput);
    $('reply-body').addEventListener('blur', stopTyping);
    $('reply-body').addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) $('reply-form').requestSubmit();
    });
    window.addEventListener('pagehide', stopTyping);

    await restoreSession();
    renderSession();
    await loadCommunities();
    var params = new URLSearchParams(location.hash.slice(1));
    if (params.get('c')) openCommunity(params.get('c'));
    if (params.get('t')) openThread(params.get('t'));
    else if (params.get('m')) openMeeting(params.get('m'));
    document.body.setAttribute('data-ready', 'true');
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
`;
