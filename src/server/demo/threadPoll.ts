/**
 * The demo script's thread poll (part of `/demo/app.js`, inserted into client.ts's closure, so it uses its helpers:
 * `$`, `el`, `clear`, `gql`, `notice`, `describe`, `state`, `POLL_FIELDS`). The open thread's poll shows its counts,
 * which PollVoted events on threadActivity keep live, and lets a signed-in member vote. Plain browser JavaScript
 * without template literals, like the rest of the script.
 */
export const DEMO_THREAD_POLL = String.raw`
  // ---- The open thread's poll (live: PollVoted) -----------------------------------------------------------

  // POLL_FIELDS (the DemoPoll fragment) is defined with the thread queries, which read it too.
  var VOTE_POLL = 'mutation DemoVote($input: VotePollInput!) { votePoll(input: $input) { ...DemoPoll } } ' + POLL_FIELDS;

  var plural = function (n, one, many) { return n + ' ' + (n === 1 ? one : many); };

  /** Shows the poll (null: the thread has none); 'voted' (a PollVoted event) says who voted just now. */
  function renderPoll(poll, voted) {
    var box = $('poll');
    state.poll = poll || null;
    if (!poll) { box.hidden = true; return; }
    box.hidden = false;
    $('poll-question').textContent = poll.question;
    var list = $('poll-options');
    clear(list);
    var canVote = !!state.me && !poll.closed;
    poll.options.forEach(function (option) {
      var item = el('li');
      var mine = poll.viewerVotes.indexOf(option.id) >= 0;
      var button = el('button', mine ? 'chosen' : null);
      button.type = 'button';
      button.disabled = !canVote;
      button.setAttribute('data-testid', 'poll-option');
      button.setAttribute('data-option-id', option.id);
      button.setAttribute('aria-pressed', String(mine));
      button.appendChild(el('span', 'label', option.text));
      var votes = el('span', 'count', plural(option.votes, 'vote', 'votes'));
      votes.setAttribute('data-testid', 'poll-votes');
      button.appendChild(votes);
      button.addEventListener('click', function () { votePoll(option.id); });
      item.appendChild(button);
      list.appendChild(item);
    });
    var status = plural(poll.voterCount, 'voter', 'voters');
    if (poll.multiple) status += ' · choose any';
    if (poll.anonymous) status += ' · anonymous';
    if (poll.closed) status += ' · closed';
    $('poll-status').textContent = status;
    if (voted) {
      var who = voted.voter ? (state.me && voted.voter.id === state.me.id ? 'You' : voted.voter.displayName) : 'Someone';
      $('poll-last').textContent = who + ' voted just now';
    } else {
      $('poll-last').textContent = '';
    }
  }

  /** Votes for an option (a multiple-choice poll toggles it among the viewer's choices). */
  async function votePoll(optionId) {
    var poll = state.poll;
    if (!poll || !state.thread) return;
    var chosen = poll.viewerVotes.slice();
    var optionIds = !poll.multiple ? [optionId]
      : chosen.indexOf(optionId) >= 0 ? chosen.filter(function (id) { return id !== optionId; }) : chosen.concat([optionId]);
    var generation = state.generation;
    try {
      var data = await gql(VOTE_POLL, { input: { pollId: poll.id, optionIds: optionIds } });
      if (generation === state.generation) renderPoll(data.votePoll);
    } catch (error) {
      notice('Vote not counted: ' + describe(error), 'error');
    }
  }
`;
