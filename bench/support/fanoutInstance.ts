/**
 * Child process of `bench:fanout`: a second API instance (instance B) on the same database and Redis as the one
 * in the benchmark's own process, in a process of its own as it would be in production.
 *
 * Requests: start {env} -> {url} · stop (closes the app, then exits).
 */
import 'reflect-metadata';
import { loadConfig } from '../../src/config';
import { startApp, type App } from '../../src/server/app';
import { serve } from './fanoutIpc';

let app: App | null = null;

serve(
  {
    start: async (message) => {
      app = await startApp(loadConfig(message.env as NodeJS.ProcessEnv));
      return { url: app.url };
    },
  },
  async () => {
    await app?.close();
  },
);
