import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { FACTORY_PASSWORD, type BuiltMember } from '../support/factories';

/**
 * The demo page in a real browser: the Chromium build that arrives with `npm install` (@sparticuz/chromium, unpacked
 * to /tmp on first use), driven by playwright-core; nothing installed by hand.
 */
// Our own flags, not the package's Lambda ones (--single-process and --disable-web-security break contexts and CSP).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface DemoBrowser {
  /**
   * A page in a browser context of its own. Uncaught page errors and console errors (a CSP violation shows up
   * there) go to `problems`, which a test expects to stay empty.
   */
  openPage(name: string, problems: string[], options?: { ignoreHttpErrors?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

export async function startDemoBrowser(): Promise<DemoBrowser> {
  // Never a silent skip: without the browser these tests fail (in beforeAll), and say why.
  const browser: Browser = await chromium.launch({ executablePath: await sparticuz.executablePath(), args: CHROMIUM_ARGS, timeout: 20_000 });
  const contexts: BrowserContext[] = [];
  return {
    async openPage(name, problems, options = {}) {
      const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(5_000);
      page.on('pageerror', (error) => problems.push(`${name}: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        if (options.ignoreHttpErrors && /^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
        problems.push(`${name}: ${message.text()}`);
      });
      return page;
    },
    async close() {
      await Promise.allSettled(contexts.map((context) => context.close()));
      await browser.close();
    },
  };
}

/** Signs in on the page already open (the form at the top). */
export async function signIn(page: Page, member: BuiltMember, displayName: string): Promise<void> {
  await page.locator('#email').fill(member.email);
  await page.locator('#password').fill(FACTORY_PASSWORD);
  await page.locator('#login').click();
  await page.getByTestId('auth-status').filter({ hasText: `Signed in as ${displayName}` }).waitFor();
}

export const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();

/** Polls `read` until it returns `expected` (or fails with the last value seen). */
export async function until<T>(read: () => Promise<T>, expected: T, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (last === expected) return;
    if (Date.now() > deadline) throw new Error(`Expected ${JSON.stringify(expected)}, still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
