/** The community feed as a client asks for it: the first page of threads, each with its three newest replies. */
export const FEED_DOCUMENT = `query CommunityFeed($slug: String!, $first: Int!) {
  community(slug: $slug) {
    id name memberCount
    threads(first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node {
        id title kind pinned locked replyCount lastActivityAt tags
        author { id displayName }
        posts(first: 3, orderBy: NEWEST_FIRST) { edges { node { id body createdAt author { id displayName } reactions { emoji count viewerReacted } } } }
      } }
    }
  }
}`;

export interface FeedVariables {
  slug: string;
  first: number;
}

/** The feed request body, as both endpoints receive it. */
export function feedRequestBody(variables: FeedVariables): string {
  return JSON.stringify({ operationName: 'CommunityFeed', query: FEED_DOCUMENT, variables });
}

/** An HTTP response read in full. */
export interface TextResponse {
  status: number;
  text: string;
}

/** POSTs a JSON body to 127.0.0.1 (never follows redirects); gives up after `timeoutMs`. */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs = 30_000): Promise<TextResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, text: await response.text() };
}
