import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import { loadConfig } from '../../src/config';
import { startApp, type App } from '../../src/server/app';

export interface EmbeddedApp {
  /** The running app (set in beforeAll). */
  readonly app: App;
  /** The demo login the seed printed (null if it did not seed). */
  readonly demo: { email: string; password: string } | null;
  /** Sends an operation; the whole JSON answer. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  gql(document: Parameters<typeof print>[0], variables: unknown, token?: string): Promise<{ data?: any; errors?: unknown[] }>;
}

/**
 * The zero-setup default for one test file: no DATABASE_URL, so the app starts on embedded PGlite in a temporary
 * data directory, migrated and seeded; `env` adds variables. Registers its own beforeAll/afterAll.
 */
export function useEmbeddedApp(prefix: string, env: Record<string, string> = {}): EmbeddedApp {
  let app: App | undefined;
  let starting: Promise<App> | undefined;
  let dataDir = '';
  let demo: EmbeddedApp['demo'] = null;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), prefix));
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', PASSWORD_HASH_COST: '1024', ...env });
    starting = startApp(config, { onSeeded: (login) => (demo = login) });
    app = await starting;
  }, 120_000);
  afterAll(async () => {
    // A start that outlived beforeAll's timeout is still closed, so its dispatcher and queue stop polling a removed folder.
    await (app ?? (await starting?.catch(() => undefined)))?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);
  return {
    get app() {
      if (!app) throw new Error('the embedded app has not started');
      return app;
    },
    get demo() {
      return demo;
    },
    async gql(document, variables, token) {
      const response = await fetch(`${this.app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: print(document), variables }),
      });
      return (await response.json()) as { data?: unknown; errors?: unknown[] };
    },
  };
}
