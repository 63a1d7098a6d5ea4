import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startApiTestStack } from '../dev/api-stack';
import globalSetup from '../dev/global-setup';
import globalTeardown from '../dev/global-teardown';
import { launchBrowser } from '../dev/ui/browser';
import { seedDemoCases } from '../dev/ui/demo-cases';
import { signIn, type DevIdentity } from '../dev/ui/sign-in';
import { ensureUiBuilt } from './build-ui';
import { runMain } from './run-main';
import { PROJECT_ROOT } from './temporal-cli';

/**
 * `npm run screenshots`: the README's pictures of the web interface. Starts a throwaway stack
 * (its own Temporal dev server and PostgreSQL on free ports, as the tests do), fills it with
 * invented demo cases, and photographs the main pages in headless Chromium into
 * docs/screenshots/.
 */
const OUT = path.join(PROJECT_ROOT, 'docs', 'screenshots');
const MAX_BYTES = 200 * 1024;
const WIDTH = 1200;

const COORDINATOR: DevIdentity = { role: 'Samordnare', agency: 'Kriminalvården Göteborg', name: 'Anna Andersson' };
const AGENCY: DevIdentity = { role: 'Handläggare på myndighet', agency: 'Socialtjänsten Göteborg', name: 'Sven Svensson' };
const SUPERVISOR: DevIdentity = { role: 'Enhetschef', agency: 'Socialtjänsten Göteborg', name: 'Sara Sjöberg' };

/** The whole page, or with `height` only its top (a long page would not stay under MAX_BYTES). */
async function shoot(page: Page, file: string, pagePath: string, ready: (p: Page) => Promise<unknown>, height?: number): Promise<void> {
  await page.setViewportSize({ width: WIDTH, height: height ?? 800 });
  await page.goto(pagePath);
  await ready(page);
  const target = path.join(OUT, file);
  await page.screenshot({ path: target, fullPage: height === undefined, animations: 'disabled', caret: 'hide' });
  const size = statSync(target).size;
  console.error(`  ${path.relative(PROJECT_ROOT, target)} (${Math.round(size / 1024)} KB)`);
  if (size > MAX_BYTES) throw new Error(`${file} is ${Math.round(size / 1024)} KB, over ${MAX_BYTES / 1024} KB: keep the README light`);
}

async function main() {
  await ensureUiBuilt((l) => console.error(l), { strict: true });
  mkdirSync(OUT, { recursive: true });
  console.error('starting a throwaway stack…');
  await globalSetup();
  const stack = await startApiTestStack();
  const browser = await launchBrowser();
  try {
    const { caseIds } = await seedDemoCases(stack);
    const context = await browser.newContext({ baseURL: stack.api.url, locale: 'sv-SE', timezoneId: 'Europe/Stockholm', viewport: { width: WIDTH, height: 800 } });
    const as = async (who: DevIdentity) => {
      const page = await context.newPage();
      await signIn(page, who);
      return page;
    };
    console.error(`writing ${path.relative(PROJECT_ROOT, OUT)}/`);
    const coordinator = await as(COORDINATOR);
    await shoot(coordinator, 'case-list.png', '/arenden', (p) => p.getByRole('link', { name: 'Sofia Karlsson' }).waitFor());
    await shoot(coordinator, 'case.png', `/arenden/${caseIds['Sofia Karlsson']}`, (p) => p.getByRole('table', { name: /Insatser i planen/ }).waitFor(), 1150);
    await shoot(coordinator, 'figures.png', '/statistik', (p) => p.getByRole('heading', { name: 'Nyckeltal' }).waitFor(), 1400);
    const agency = await as(AGENCY);
    await shoot(agency, 'tasks.png', '/uppgifter', (p) => p.getByRole('heading', { name: /Försenade/ }).waitFor(), 1300);
    const supervisor = await as(SUPERVISOR);
    await shoot(supervisor, 'alerts.png', '/larm', (p) => p.getByText('ansluten, nya larm visas direkt').waitFor().then(() => p.getByRole('button', { name: /Kvittera/ }).first().waitFor()));
  } finally {
    await browser.close();
    await stack.close();
    await globalTeardown();
  }
}

runMain(main);
