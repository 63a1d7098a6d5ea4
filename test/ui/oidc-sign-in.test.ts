import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Page } from 'playwright-core';
import { freePort } from '../../scripts/free-port';
import { adminTokenFrom, apiEnvForLocalIdp, LOCAL_OIDC } from '../../scripts/local-idp/settings';
import { PROVIDER_DOWN } from '../../ui/src/oidc-messages';
import { startLocalIdpProcess, type LocalIdpProcess } from '../support/local-idp-process';
import { expectNoAxeViolations } from './support/axe';
import { swedishDatePlus } from './support/dates';
import { KVV, SOT } from './support/seed';
import { startUiTestStack, type UiTestStack } from './support/ui-stack';

/*
 * Sign-in through a real OpenID Connect provider (the local one, scripts/local-idp, panva's
 * oidc-provider) with the API in jwks mode: the browser leaves for the provider's own login
 * page, comes back with a code, the web interface exchanges it (PKCE) for a JWT access token,
 * and the API verifies that token through the provider's JWKS on every call, over the real
 * worker, Temporal and PostgreSQL. The provider-down story stops the provider, so it runs last.
 */

let idp: LocalIdpProcess;
let s: UiTestStack;
/** Requests the pages tried to send anywhere but loopback (none may be). */
const offLoopback: string[] = [];

/*
 * Claim names other than the defaults, as a provider's administrators may have chosen them: the
 * API and the web interface (told by the API) must both read these, and only these.
 */
const CLAIMS = { AUTH_ROLE_CLAIM: 'https://glappfri.se/roll', AUTH_AGENCY_CLAIM: 'myndighet', AUTH_NAME_CLAIM: 'namn' };

beforeAll(async () => {
  // The provider must know the web interface's address before the API, which needs the provider's, starts.
  const apiPort = await freePort();
  idp = await startLocalIdpProcess(`http://127.0.0.1:${apiPort}`, CLAIMS);
  s = await startUiTestStack({ API_PORT: String(apiPort), ...apiEnvForLocalIdp(idp), ...CLAIMS }, { adminToken: () => adminTokenFrom(idp, idp.admin) });
}, 120_000);
afterAll(async () => {
  await s?.close();
  await idp?.stop();
});
afterEach(() => {
  expect(s.pageErrors.splice(0)).toEqual([]);
  expect(offLoopback.splice(0)).toEqual([]);
});

async function newPage(): Promise<Page> {
  const page = await s.newPage();
  await page.route(
    (url) => !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname),
    async (route) => {
      offLoopback.push(route.request().url());
      await route.abort();
    },
  );
  return page;
}

/** At the provider's own (development) login page: any password goes with a known login. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Logga in via inloggningstjänsten' }).click();
  await page.waitForURL((url) => url.origin === idp.issuer);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('vilket-som-helst');
  await page.getByRole('button', { name: 'Sign-in' }).click();
}

const storedSession = (page: Page) => page.evaluate('sessionStorage.getItem("glappfri.token")') as Promise<string | null>;

test('a coordinator signs in at the provider, lands back in the web interface, and opens a case', async () => {
  const page = await newPage();
  await page.goto('/');
  await page.getByRole('heading', { name: 'Logga in med din organisations inloggning' }).waitFor();
  // jwks mode: no development sign-in.
  await expect(page.getByRole('heading', { name: 'Logga in i utvecklingsläge' }).count()).resolves.toBe(0);
  await expectNoAxeViolations(page, 'the sign-in page with a provider');

  await signInAtProvider(page, 'samordnare');
  await page.getByRole('heading', { level: 1, name: 'Ärenden' }).waitFor();
  expect(new URL(page.url()).origin).toBe(s.api.url);
  expect(new URL(page.url()).pathname).toBe('/arenden');
  await expect(page.locator('.who').textContent()).resolves.toContain('Anna Andersson');

  // What the web interface sends the API: the provider's JWT access token, not the ID token.
  const stored = JSON.parse((await storedSession(page)) ?? '{}') as { token: string; oidc?: { idToken?: string } };
  expect(decodeProtectedHeader(stored.token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
  const claims = decodeJwt(stored.token);
  expect(claims).toMatchObject({ iss: idp.issuer, aud: LOCAL_OIDC.audience, sub: 'samordnare', 'https://glappfri.se/roll': 'coordinator', myndighet: KVV.agencyId, namn: 'Anna Andersson' });
  expect(claims).not.toHaveProperty('role');
  // The ID token, kept for the provider's sign-out only, opens nothing.
  const idToken = stored.oidc?.idToken ?? '';
  expect(decodeJwt(idToken)).toMatchObject({ iss: idp.issuer, aud: LOCAL_OIDC.webClientId, sub: 'samordnare' });
  await expect(s.call('GET', '/v1/agencies', { token: idToken })).resolves.toMatchObject({ status: 401 });

  await page.getByRole('link', { name: 'Öppna nytt ärende' }).click();
  await page.getByRole('heading', { level: 1, name: 'Öppna nytt ärende' }).waitFor();
  await page.getByLabel('Namn', { exact: true }).fill('Olle Oidc');
  await page.getByLabel('Folkbokföringskommun (kommunkod)').fill('1480');
  await page.getByLabel('Planerad frigivning').fill(swedishDatePlus(60));
  await page.getByRole('radio', { name: 'Medel' }).check();
  await page.getByRole('checkbox', { name: 'Boende' }).check();
  await page.getByRole('checkbox', { name: SOT.name }).check();
  await page.getByRole('button', { name: 'Öppna ärendet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Olle Oidc' }).waitFor();

  // The case is in the real workflow and its projection, opened by the provider's user.
  const caseId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
  const opened = await s.call('GET', `/v1/cases/${caseId}`, { token: stored.token });
  expect(opened.status).toBe(200);
  expect(opened.body.interventions.find((i: { area: string }) => i.area === 'boende')).toMatchObject({ agencyId: SOT.agencyId, status: 'planned' });
  const history = await s.call('GET', `/v1/cases/${caseId}/events`, { token: stored.token });
  expect(history.status).toBe(200);
  expect(JSON.stringify(history.body)).toContain('samordnare');
});

test('a person the provider knows but gives no role is told so in Swedish, and not signed in', async () => {
  const page = await newPage();
  await signInAtProvider(page, 'utan-roll');
  const message = page.getByRole('alert').filter({ hasText: 'uppger inte vilken roll och myndighet' });
  await message.waitFor();
  await expect(message.textContent()).resolves.toContain('anspråket ”https://glappfri.se/roll”');
  expect(new URL(page.url()).pathname).toBe('/logga-in');
  // The code is gone from the address, and nothing is kept as a session.
  expect(new URL(page.url()).search).toBe('');
  await expect(storedSession(page)).resolves.toBeNull();
  await expect(page.getByRole('button', { name: 'Logga ut' }).count()).resolves.toBe(0);
  await expectNoAxeViolations(page, 'the sign-in page refusing a person without a role');
});

test('signing out ends the session here and at the provider', async () => {
  const page = await newPage();
  await signInAtProvider(page, 'socialtjansten');
  await page.getByRole('heading', { level: 1, name: 'Uppgifter' }).waitFor();

  await page.getByRole('button', { name: 'Logga ut' }).click();
  // The provider's own end-session page asks to confirm.
  await page.waitForURL((url) => url.origin === idp.issuer);
  await page.getByRole('button', { name: /sign me out/i }).click();
  await page.getByText('Du har loggat ut.').waitFor();
  expect(`${new URL(page.url()).origin}${new URL(page.url()).pathname}`).toBe(`${s.api.url}/logga-in`);
  await expect(storedSession(page)).resolves.toBeNull();

  // Signed out there too: the provider asks who it is again instead of signing straight back in.
  await page.getByRole('button', { name: 'Logga in via inloggningstjänsten' }).click();
  await page.waitForURL((url) => url.origin === idp.issuer);
  await page.locator('input[name=login]').waitFor();
});

test('with the provider down, the sign-in page says so in Swedish', async () => {
  await idp.stop();
  const page = await newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'Logga in via inloggningstjänsten' }).click();
  const message = page.getByRole('alert').filter({ hasText: 'Inloggningstjänsten svarar inte' });
  await message.waitFor();
  await expect(message.textContent()).resolves.toBe(PROVIDER_DOWN);
  expect(new URL(page.url()).origin).toBe(s.api.url);
  await expectNoAxeViolations(page, 'the sign-in page with the provider down');
});
