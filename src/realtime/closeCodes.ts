/** WebSocket close codes of ours (4000–4999 is the application range; graphql-ws uses 44xx for protocol errors). */
export const CLOSE_TOO_MANY_SOCKETS = 4429;
export const CLOSE_SLOW_CONSUMER = 4499;
/** RFC 6455 Try Again Later: the server cannot serve the connection now (its database is away); clients retry. */
export const CLOSE_TRY_AGAIN_LATER = 1013;
/** graphql-ws's Forbidden: the token expired or its member no longer exists (clients do not retry; sign in again). */
export const CLOSE_FORBIDDEN = 4403;
