/**
 * Child process of `bench:fanout`: posts the replies over HTTP (`replyToThread`) one after the other and notes
 * when each request left and when its response had fully arrived. A process of its own, so that the response
 * time is not read late by an event loop busy fanning the event out.
 *
 * Requests: post {url, token, threadId, body} -> {sentAt, answeredAt} · clock · stop.
 */
import { now, serve } from './fanoutIpc';

const REQUEST_TIMEOUT_MS = 30_000;
const MUTATION = 'mutation Reply($input: ReplyInput!) { replyToThread(input: $input) { id } }';

interface Post {
  url: string;
  token: string;
  threadId: string;
  body: string;
}

async function post({ url, token, threadId, body }: Post) {
  const sentAt = now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: MUTATION, variables: { input: { threadId, body } } }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  const answeredAt = now();
  const json = JSON.parse(text) as { data?: { replyToThread?: { id?: string } }; errors?: unknown };
  if (response.status !== 200 || json.errors || !json.data?.replyToThread?.id) {
    throw new Error(`reply "${body}" failed: HTTP ${response.status} ${text.slice(0, 500)}`);
  }
  return { sentAt, answeredAt };
}

serve(
  {
    post: (message) => post(message as unknown as Post),
    clock: () => ({ at: now() }),
  },
  () => undefined,
);
