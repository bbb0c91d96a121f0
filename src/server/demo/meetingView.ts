/**
 * The demo script's meetings (part of `/demo/app.js`, inserted into client.ts's closure, so it uses its helpers):
 * a community's meetings ahead in the side bar, and the meeting view the links in emails, digests and calendars open
 * (`#c=<slug>&m=<meeting id>`): its details, where and when (in the browser's time, with the zone it is organised
 * in) and its answers (going, waitlisted, the viewer's own). Plain browser JavaScript without template literals.
 */
export const DEMO_MEETING_VIEW = String.raw`
  // ---- Meetings: #c=<slug>&m=<meeting id> -----------------------------------------------------------------

  var MEETING_Q = 'query DemoMeeting($id: ID!) { node(id: $id) { __typename ... on Meeting { id kind status title description ' +
    'startsAt endsAt timeZone url venue capacity goingCount waitlistCount viewerRsvp community { slug name } } } }';
  var MEETINGS_Q = 'query DemoMeetings($slug: String!) { community(slug: $slug) { id ' +
    'meetings(first: 10, upcoming: true) { edges { node { id title status startsAt goingCount } } } } }';
  var RSVP_WORDS = { GOING: 'going', INTERESTED: 'interested', NOT_GOING: 'not going', WAITLISTED: 'on the waiting list' };

  function lower(word) { return String(word).toLowerCase().replace(/_/g, ' '); }

  async function loadMeetings(slug) {
    var list = $('meetings');
    clear(list);
    list.appendChild(el('li', 'muted', 'Loading…'));
    try {
      var data = await gql(MEETINGS_Q, { slug: slug });
      if (state.slug !== slug) return;
      clear(list);
      var community = data.community;
      if (!community) { list.appendChild(el('li', 'muted', 'No such community.')); return; }
      community.meetings.edges.forEach(function (edge) {
        var m = edge.node;
        var when = m.startsAt ? new Date(m.startsAt).toLocaleDateString() : 'date to be set';
        var label = m.status === 'CANCELLED' ? m.title + ' (cancelled)' : m.title;
        list.appendChild(listButton(label, when + ' · ' + m.goingCount + ' going', 'meeting', { 'data-meeting-id': m.id }, function () { openMeeting(m.id); }));
      });
      if (!community.meetings.edges.length) list.appendChild(el('li', 'muted', 'No meetings ahead.'));
      if (state.meeting) markCurrent('meetings', 'data-meeting-id', state.meeting.id);
    } catch (error) {
      if (state.slug !== slug) return;
      clear(list);
      list.appendChild(el('li', 'muted', codeOf(error) === 'FORBIDDEN' ? 'Members only.' : 'Could not load meetings.'));
      if (codeOf(error) !== 'FORBIDDEN') notice('Meetings: ' + describe(error), 'error');
    }
  }

  function whenOf(meeting) {
    if (!meeting.startsAt) return 'Date and time to be set';
    var text = new Date(meeting.startsAt).toLocaleString();
    if (meeting.endsAt) text += ' – ' + new Date(meeting.endsAt).toLocaleTimeString();
    return text + ' (organised in ' + meeting.timeZone + ')';
  }

  function renderMeeting(meeting) {
    $('meeting-title').textContent = meeting.title;
    $('meeting-meta').textContent = lower(meeting.kind) + ' · ' + lower(meeting.status) + ' · ' + meeting.community.name;
    $('meeting-when').textContent = whenOf(meeting);
    var place = $('meeting-place');
    clear(place);
    if (meeting.venue) place.appendChild(el('span', null, meeting.venue));
    // The API accepts only http(s) rooms; checked here too before it becomes a link.
    if (meeting.url && /^https?:\/\//i.test(meeting.url)) {
      if (meeting.venue) place.appendChild(el('span', 'muted', ' · '));
      var link = el('a', null, meeting.url);
      link.href = meeting.url;
      link.rel = 'noopener noreferrer';
      link.target = '_blank';
      place.appendChild(link);
    }
    place.hidden = !place.firstChild;
    $('meeting-description').textContent = meeting.description || '';
    var counts = meeting.goingCount + ' going';
    if (meeting.capacity != null) counts += ' of ' + meeting.capacity + ' places';
    if (meeting.waitlistCount) counts += ' · ' + meeting.waitlistCount + ' waitlisted';
    $('meeting-counts').textContent = counts;
    $('meeting-answer').textContent = !state.me ? 'Sign in to see your answer.'
      : meeting.viewerRsvp ? 'You answered: ' + RSVP_WORDS[meeting.viewerRsvp] + '.' : 'You have not answered yet.';
  }

  async function openMeeting(id) {
    leaveThread();
    var generation = state.generation;
    state.thread = null;
    state.meeting = { id: id };
    markCurrent('threads', 'data-thread-id', '');
    markCurrent('meetings', 'data-meeting-id', id);
    $('empty').hidden = true;
    $('thread').hidden = true;
    $('meeting').hidden = false;
    $('meeting-title').textContent = 'Loading…';
    ['meeting-meta', 'meeting-when', 'meeting-description', 'meeting-counts', 'meeting-answer'].forEach(function (part) { $(part).textContent = ''; });
    clear($('meeting-place'));
    try {
      var data = await gql(MEETING_Q, { id: id });
      if (generation !== state.generation) return;
      var meeting = data.node && data.node.__typename === 'Meeting' ? data.node : null;
      if (!meeting) { $('meeting-title').textContent = 'Meeting not found'; return; }
      renderMeeting(meeting);
      if (state.slug !== meeting.community.slug) openCommunity(meeting.community.slug);
      writeHash();
    } catch (error) {
      if (generation !== state.generation) return;
      $('meeting-title').textContent = codeOf(error) === 'FORBIDDEN' ? 'This meeting is for members only' : 'Could not load this meeting';
      notice('Meeting: ' + describe(error), 'error');
    }
  }
`;
