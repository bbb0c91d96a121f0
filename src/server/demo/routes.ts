import type { IncomingMessage, ServerResponse } from 'node:http';

/** `GET /demo`: a small page that shows the live features (filled in with the demo issue work). */
export async function demoRoutes(_req: IncomingMessage, _res: ServerResponse): Promise<boolean> {
  return false;
}
