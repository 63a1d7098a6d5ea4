import type { Browser, BrowserContext, Page } from 'playwright-core';
import { uiBuildIsStale } from '../../../scripts/build-ui';
import { startApiTestStack, type ApiTestStack, type ApiTestStackOptions } from '../../../dev/api-stack';
import { launchBrowser } from '../../../dev/ui/browser';

export interface UiTestStack extends ApiTestStack {
  browser: Browser;
  /** A new person at the keyboard: own cookies and storage, Swedish locale. */
  newPage(): Promise<Page>;
  /** Uncaught errors thrown in any page so far: a story that ends with some has a bug. */
  pageErrors: string[];
}

/**
 * The real stack of the API tests (API, worker, Temporal, PostgreSQL) serving the built web
 * interface at `/`, and a headless Chromium to use it with; `extraEnv` and `opts` as for
 * startApiTestStack.
 */
export async function startUiTestStack(extraEnv: Record<string, string> = {}, opts: ApiTestStackOptions = {}): Promise<UiTestStack> {
  // Building here would race when two files start at once; npm test builds before jest.
  if (uiBuildIsStale()) throw new Error('ui/dist is missing or older than ui/src: run `npm run build:ui` (npm test does it before jest).');
  const [stack, browser] = await Promise.all([startApiTestStack(extraEnv, opts), launchBrowser()]);
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  return {
    ...stack,
    browser,
    pageErrors,
    async newPage() {
      // The browser's own time zone is deliberately not Sweden's: the UI must show Swedish time anyway.
      const context = await browser.newContext({ baseURL: stack.api.url, locale: 'sv-SE', timezoneId: 'UTC', viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
      return page;
    },
    async close() {
      await Promise.allSettled(contexts.map((c) => c.close()));
      await browser.close();
      await stack.close();
    },
  };
}
