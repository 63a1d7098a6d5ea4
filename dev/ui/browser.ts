import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's package; `npm test` installs it when missing (scripts/test.ts). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/*
 * Nothing may phone home or depend on the machine's state: no QUIC, no background updates or
 * sync, no first-run dialogs. --no-sandbox because CI runs as root, where Chromium's sandbox
 * refuses to start; the pages are our own, on loopback.
 */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Headless Chromium. `chromium.launch` gives every browser a fresh, temporary user-data-dir of
 * its own (removed on close), so no profile, cache or storage survives from one run to the next.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}. \`npm test\` installs it (apt-get install -y chromium); or set CHROMIUM_PATH.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}
