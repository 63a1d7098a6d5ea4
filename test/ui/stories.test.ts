import { expectNoAxeViolations } from './support/axe';
import { swedishDate, swedishDatePlus } from './support/dates';
import { coordinatorToken, KVV, openCaseDueIn, SOT } from './support/seed';
import { signIn } from '../../dev/ui/sign-in';
import { startUiTestStack, type UiTestStack } from './support/ui-stack';

/*
 * The three users' stories in a real browser, on the real stack. On the way, every page (and
 * each state worth a look: errors shown, forms open, a gap, an alert) is checked against WCAG
 * 2.1 A/AA with axe-core: sign-in, case list, open-case form, case page, figures (with the table
 * per agency and area, and a refused period), task inbox,
 * alerts, and the pages for a forbidden or unknown address. One file, so the stack and the
 * browser start once.
 */

let s: UiTestStack;
beforeAll(async () => {
  s = await startUiTestStack();
}, 90_000);
afterAll(async () => {
  await s?.close();
});
afterEach(() => {
  // Emptied as it is checked, so one story's error is not blamed on the next.
  expect(s.pageErrors.splice(0)).toEqual([]);
});

test('a coordinator signs in, opens a case through the form, is told which field is wrong, and sees the plan', async () => {
  const page = await s.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
  await page.locator('#inloggning-namn-fel').waitFor();
  await expectNoAxeViolations(page, 'the sign-in page with errors');
  await signIn(page, { role: 'Samordnare', agency: KVV.name, name: 'Anna Andersson' });
  await page.getByRole('heading', { level: 1, name: 'Ärenden' }).waitFor();
  await page.getByText('Inga ärenden matchar filtret.').waitFor();

  await page.getByRole('link', { name: 'Öppna nytt ärende' }).click();
  await page.getByRole('heading', { level: 1, name: 'Öppna nytt ärende' }).waitFor();
  await expectNoAxeViolations(page, 'the open-case form');

  const release = swedishDatePlus(60);
  await page.getByLabel('Namn', { exact: true }).fill('Test Testsson');
  await page.getByLabel('Folkbokföringskommun (kommunkod)').fill('148');
  await page.getByLabel('Planerad frigivning').fill(release);
  await page.getByRole('radio', { name: 'Medel' }).check();
  await page.getByRole('checkbox', { name: 'Boende' }).check();
  await page.getByRole('checkbox', { name: SOT.name }).check();
  await page.getByRole('checkbox', { name: 'Arbetsförmedlingen' }).check();
  await page.getByRole('button', { name: 'Öppna ärendet' }).click();

  // The error sits next to the field it is about, tied to it for a screen reader, and nothing is sent.
  const municipality = page.getByLabel('Folkbokföringskommun (kommunkod)');
  const fieldError = page.locator('#arende-kommun-fel');
  await fieldError.waitFor();
  await expect(fieldError.textContent()).resolves.toMatch(/\S/);
  await expect(municipality.getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(municipality.getAttribute('aria-describedby')).resolves.toContain('arende-kommun-fel');
  await expect(page.locator('.field-invalid').count()).resolves.toBe(1);
  await expectNoAxeViolations(page, 'the open-case form showing an error');
  const coordinator = await coordinatorToken(s);
  await expect(s.call('GET', '/v1/cases', { token: coordinator })).resolves.toMatchObject({ body: { items: [] } });

  await municipality.fill('1480');
  await page.getByRole('button', { name: 'Öppna ärendet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Test Testsson' }).waitFor();
  expect(page.url()).toMatch(/\/arenden\/[^/]+$/);

  // The plan the API filled from the default policy, as the page shows it.
  const caseId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
  const opened = await s.call('GET', `/v1/cases/${caseId}`, { token: coordinator });
  expect(opened.status).toBe(200);
  const housing = opened.body.interventions.find((i: { area: string }) => i.area === 'boende');
  expect(housing).toMatchObject({ agencyId: SOT.agencyId, status: 'planned' });
  const plan = page.getByRole('table', { name: /Insatser i planen/ });
  const row = await plan.getByRole('row', { name: /Bostad ordnad/ }).textContent();
  expect(row).toContain(SOT.name);
  expect(row).toContain('Planerad');
  expect(row).toContain(swedishDate(housing.dueAt));
  await expect(plan.getByRole('row', { name: /Kontakt med Arbetsförmedlingen/ }).textContent()).resolves.toContain('Arbetsförmedlingen');
  // Release is counted from 08.00 Swedish time, whatever the browser's own zone (UTC here).
  await expect(page.locator('.facts').first().textContent()).resolves.toContain(`${release} 08:00`);
  for (const summary of await page.locator('summary').all()) await summary.click();
  await expectNoAxeViolations(page, 'the case page with every action form open');

  // The list's filters go to the API: no gaps yet, and a release within 12 weeks.
  await page.getByRole('link', { name: 'Ärenden', exact: true }).click();
  await page.getByRole('link', { name: 'Test Testsson' }).waitFor();
  await page.getByLabel('Glapp').selectOption({ label: 'Bara ärenden med glapp' });
  await page.getByRole('button', { name: 'Filtrera' }).click();
  await page.getByText('Inga ärenden matchar filtret.').waitFor();
  await page.getByLabel('Glapp').selectOption({ label: 'Bara ärenden utan glapp' });
  await page.getByLabel('Frigivning').selectOption({ label: 'inom 12 veckor' });
  await page.getByRole('button', { name: 'Filtrera' }).click();
  await page.getByRole('table', { name: /1 ärende, frigivning inom 12 veckor, utan glapp/ }).getByRole('link', { name: 'Test Testsson' }).waitFor();
  await expectNoAxeViolations(page, 'the filtered case list');

  await page.getByRole('link', { name: 'Statistik' }).click();
  await expect(page.getByRole('table', { name: 'Ärenden per fas' }).getByRole('row', { name: /Anstalt/ }).textContent()).resolves.toMatch(/Anstalt\s*1\b/);
  await expectNoAxeViolations(page, 'the figures');
});

test('the agency finds the task in its inbox and completes it', async () => {
  const { caseId } = await openCaseDueIn(s, { name: 'Kim Karlsson', dueInSeconds: 7 * 86_400, key: 'agency' });
  const page = await s.newPage();
  await signIn(page, { role: 'Handläggare på myndighet', agency: SOT.name, name: 'Sven Svensson' });
  await page.getByRole('heading', { level: 1, name: `Uppgifter för ${SOT.name}` }).waitFor();
  const task = page.getByRole('article').filter({ hasText: 'Kim Karlsson' });
  await task.getByRole('heading', { name: /Bostad ordnad/ }).waitFor();
  await expectNoAxeViolations(page, 'the task inbox');

  await task.getByRole('button', { name: /Slutför/ }).click();
  await task.getByLabel(/Anteckning/).fill('Hyreskontrakt påskrivet');
  await expectNoAxeViolations(page, 'the task inbox with the completion form open');
  await task.getByRole('button', { name: 'Bekräfta att det är klart' }).click();
  await page.getByRole('status').getByText(/är klar/).waitFor();
  await task.waitFor({ state: 'detached' });

  const after = await s.call('GET', `/v1/cases/${caseId}`, { token: await coordinatorToken(s) });
  expect(after.body.interventions).toEqual([expect.objectContaining({ status: 'completed', note: 'Hyreskontrakt påskrivet' })]);
  await page.getByRole('combobox', { name: 'Visa' }).selectOption({ label: 'Klara' });
  await page.getByRole('article').filter({ hasText: 'Kim Karlsson' }).getByText('Klar', { exact: true }).waitFor();
});

test('the figures: what is in place within 24 weeks, and the table per agency and area over a period the leader picks', async () => {
  const page = await s.newPage();
  await signIn(page, { role: 'Samordnare', agency: KVV.name, name: 'Anna Andersson' });
  await page.getByRole('link', { name: 'Statistik' }).click();
  await page.getByRole('table', { name: 'Frigivningar inom 24 veckor med insatsen på plats' }).getByRole('row', { name: /Boende/ }).waitFor();
  // By default the last 90 days: the housing Kim Karlsson's agency completed a moment ago, not yet due.
  const today = swedishDatePlus(0);
  const byAgency = page.getByRole('table', { name: `Per myndighet, ${swedishDatePlus(-89)} – ${today}` });
  const cells = async (table: typeof byAgency, row: string) => table.getByRole('row', { name: new RegExp(row) }).getByRole('cell').allTextContents();
  expect(await cells(byAgency, SOT.name)).toEqual(['1', '0', '0', '0', '0', '–']);
  expect(await page.getByRole('table', { name: /^Per behovsområde, / }).getByRole('rowheader').allTextContents()).toEqual(['Boende']);
  await expectNoAxeViolations(page, 'the figures with the table per agency and area');

  // A period that ends before it starts is refused at its field, and nothing is asked.
  await page.getByLabel('Från').fill(swedishDatePlus(1));
  await page.getByLabel('Till').fill(today);
  await page.getByRole('button', { name: 'Visa period' }).click();
  await page.locator('#period-fran-fel').waitFor();
  await expect(page.getByLabel('Från').getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(page.getByLabel('Från').getAttribute('aria-describedby')).resolves.toContain('period-fran-fel');
  await expectNoAxeViolations(page, 'the figures with a period refused');

  // A period reaching past the housing's due time in a week: now it is due, and done in time.
  await page.getByLabel('Från').fill(swedishDatePlus(-30));
  await page.getByLabel('Till').fill(swedishDatePlus(30));
  await page.getByRole('button', { name: 'Visa period' }).click();
  const chosen = page.getByRole('table', { name: `Per myndighet, ${swedishDatePlus(-30)} – ${swedishDatePlus(30)}` });
  await chosen.waitFor();
  expect(await cells(chosen, SOT.name)).toEqual(['1', '0', '0', '1', '1', expect.stringMatching(/^100\s%$/)]);
  await expect(page.locator('.field-invalid').count()).resolves.toBe(0);
  await expectNoAxeViolations(page, 'the figures for a chosen period');
});

test('after a deadline passes the supervisor sees the alert appear live, acknowledges it and follows it to the case', async () => {
  const page = await s.newPage();
  await signIn(page, { role: 'Enhetschef', agency: SOT.name, name: 'Sara Sjöberg' });
  await page.getByRole('heading', { level: 1, name: `Larm för ${SOT.name}` }).waitFor();
  await page.getByText('ansluten, nya larm visas direkt').waitFor();
  await expectNoAxeViolations(page, 'the alerts page without alerts');
  // Survives only as long as the page is not reloaded.
  await page.evaluate('window.__sameDocument = true');

  const { caseId } = await openCaseDueIn(s, { name: 'Lo Lindqvist', dueInSeconds: 3, key: 'supervisor' });
  const alert = page.getByRole('article').filter({ hasText: 'Lo Lindqvist' });
  await alert.waitFor({ timeout: 45_000 });
  await expect(page.evaluate('window.__sameDocument')).resolves.toBe(true);
  await expect(alert.getByRole('heading').textContent()).resolves.toMatch(/Nivå 1.*Insats inte klar i tid/);
  await expectNoAxeViolations(page, 'the alerts page with an open alert');

  await alert.getByRole('button', { name: /Kvittera/ }).click();
  const acknowledgedAlert = page.getByRole('region', { name: /Kvitterade/ }).getByRole('article').filter({ hasText: 'Lo Lindqvist' });
  await acknowledgedAlert.waitFor();
  await expect(page.getByRole('button', { name: /Kvittera/ }).count()).resolves.toBe(0);
  const supervisor = await s.token({ sub: 'sara', role: 'supervisor', agencyId: SOT.agencyId });
  const acknowledged = await s.call('GET', '/v1/alerts?status=acknowledged', { token: supervisor });
  expect(acknowledged.body.items).toEqual([expect.objectContaining({ caseId, kind: 'intervention_overdue', level: 1, status: 'acknowledged' })]);
  await expectNoAxeViolations(page, 'the alerts page with an acknowledged alert');

  await acknowledgedAlert.getByRole('link', { name: 'Lo Lindqvist' }).click();
  await page.getByRole('heading', { name: /Öppna glapp/ }).waitFor();
  await expect(page.getByRole('table', { name: /Insatser i planen/ }).getByRole('row', { name: /Bostad ordnad/ }).textContent()).resolves.toContain('Försenad');
  await expectNoAxeViolations(page, 'a case with an overdue intervention');
}, 90_000); // the alert is raised by a real timer on a machine that may be busy

test('the coordinating agency sees who read the client; a coordinator of another agency finds no such case', async () => {
  const { caseId } = await openCaseDueIn(s, { name: 'Ulla Urban', dueInSeconds: 30 * 86_400, key: 'access' });
  const officer = await s.token({ sub: 'officer-sven', role: 'agency', agencyId: SOT.agencyId });
  expect((await s.call('GET', `/v1/cases/${caseId}`, { token: officer })).status).toBe(200);

  const page = await s.newPage();
  await signIn(page, { role: 'Samordnare', agency: KVV.name, name: 'Anna Andersson' });
  await page.goto(`/arenden/${caseId}`);
  await page.getByRole('heading', { level: 1, name: 'Ulla Urban' }).waitFor();
  const log = page.getByRole('table', { name: /Loggutdrag för klienten/ });
  await log.waitFor();
  await expect(log.getByRole('row', { name: /officer-sven/ }).textContent()).resolves.toContain('Ärendet');
  await expectNoAxeViolations(page, 'the case page with its access log');

  // sot-1480 is in the client's consent but neither coordinates nor holds responsibility.
  const other = await s.newPage();
  await signIn(other, { role: 'Samordnare', agency: SOT.name, name: 'Bo Berg' });
  await other.getByRole('heading', { level: 1, name: 'Ärenden' }).waitFor();
  await expect(other.getByText('Ulla Urban').count()).resolves.toBe(0);
  await other.goto(`/arenden/${caseId}`);
  await other.getByText('Hittades inte, eller så har du inte behörighet att se det.').waitFor();
  await expect(other.getByText('Ulla Urban').count()).resolves.toBe(0);
  await expectNoAxeViolations(other, 'a case the coordinator may not see');
}, 60_000);

test('the coordinator prints the client\'s register extract, then erases a case opened in error', async () => {
  const { caseId } = await openCaseDueIn(s, { name: 'Vera Utdrag', dueInSeconds: 30 * 86_400, key: 'extract' });
  const page = await s.newPage();
  await signIn(page, { role: 'Samordnare', agency: KVV.name, name: 'Anna Andersson' });
  await page.goto(`/arenden/${caseId}`);
  await page.getByRole('heading', { level: 1, name: 'Vera Utdrag' }).waitFor();
  await page.getByRole('link', { name: 'Registerutdrag' }).click();
  await page.getByRole('heading', { level: 1, name: 'Registerutdrag för Vera Utdrag' }).waitFor();
  const trail = page.getByRole('table', { name: /Allt som har beslutats/ });
  await trail.getByText('Ärendet öppnades', { exact: true }).first().waitFor();
  // In words the client can read, as on the case page; the field names are only in the download.
  await expect(trail.getByRole('row').filter({ hasText: 'Bostad ordnad' }).first().textContent()).resolves.toContain('Socialtjänsten Göteborg');
  await expect(trail.textContent()).resolves.not.toMatch(/interventionId|agencyId|coordinatorAgencyId/);
  await page.getByRole('table', { name: /Loggutdrag/ }).getByText('Registerutdrag').first().waitFor();
  await page.getByRole('button', { name: 'Skriv ut' }).waitFor();
  await expectNoAxeViolations(page, 'the register extract');

  await page.goto(`/arenden/${caseId}`);
  await page.getByText('Radera ärendet').click();
  await page.getByLabel('Skäl till raderingen').selectOption('opened_in_error');
  await page.getByRole('button', { name: 'Radera…' }).click();
  await page.getByText('Radera ärendet för Vera Utdrag för gott?').waitFor();
  await expectNoAxeViolations(page, 'erasure asking for confirmation');
  await page.getByRole('button', { name: 'Ja, radera' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ärenden' }).waitFor();
  // The list (a table, or "no cases" when it is empty) no longer names the client; only the
  // announcement that says it was erased does.
  await page.locator('main table, main :text("Inga ärenden matchar filtret.")').first().waitFor();
  await expect(page.locator('main').getByRole('link', { name: 'Vera Utdrag' }).count()).resolves.toBe(0);
  await expect(page.locator('main table').getByText('Vera Utdrag').count()).resolves.toBe(0);
  await page.goto(`/arenden/${caseId}`);
  await page.getByText('Hittades inte, eller så har du inte behörighet att se det.').waitFor();
}, 60_000);

test('an operator starts a decoding session for the Temporal Web UI: an HttpOnly cookie for /codec only', async () => {
  const page = await s.newPage();
  await signIn(page, { role: 'Drift (operatör)', name: 'Olga Drift' });
  await page.getByRole('heading', { level: 1, name: 'Drift' }).waitFor();
  await page.getByRole('button', { name: 'Starta avkodning' }).click();
  await page.getByText('Avkodningen är på (i högst en timme).').waitFor();
  const cookies = await page.context().cookies();
  expect(cookies).toEqual([expect.objectContaining({ name: 'glappfri_codec', path: '/codec', httpOnly: true, sameSite: 'Strict' })]);
  await expectNoAxeViolations(page, 'the operations page');
  await page.getByRole('button', { name: 'Avsluta avkodningen' }).click();
  await page.getByRole('button', { name: 'Starta avkodning' }).waitFor();
  await expect(page.context().cookies()).resolves.toEqual([]);
}, 60_000);

test('the case page draws the plan\'s chain against the calendar: housing waits for work, which is late', async () => {
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  const policy = await s.call('PUT', '/v1/policies/ui-chain', {
    token: admin,
    body: {
      requirements: [
        { area: 'sysselsattning', appliesWhen: 'always', agencyType: 'arbetsformedlingen', requiredBeforeRelease: true, dueBeforeRelease: 'P14D', title: 'Praktikplats' },
        { area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'P30D', title: 'Bostad ordnad', after: ['sysselsattning'], leadTime: 'P21D' },
      ],
      reminders: [], followUps: { high: ['P1D'], medium: ['P7D'], low: ['P30D'] },
    },
  });
  expect(policy.status).toBe(200);
  // Release in 20 days: housing was due 10 days ago, work (21 days before housing) 31 days ago.
  const opened = await s.call('POST', '/v1/cases', {
    token: await coordinatorToken(s),
    body: {
      client: { name: 'Kim Kedja', municipality: '1480' }, phase: 'anstalt', admittedAt: new Date(Date.now() - 60 * 86_400_000).toISOString(),
      expectedReleaseAt: new Date(Date.now() + 20 * 86_400_000).toISOString(), riskLevel: 'medium', needs: [],
      consent: { agencyIds: [SOT.agencyId, 'af'] }, responsibility: { successorAgencyId: SOT.agencyId }, policyId: 'ui-chain',
    },
  });
  expect(opened.status).toBe(201);
  const page = await s.newPage();
  await signIn(page, { role: 'Samordnare', agency: KVV.name, name: 'Anna Andersson' });
  await page.goto(`/arenden/${opened.body.caseId as string}`);
  const chain = page.getByRole('table', { name: /Insatser som väntar på andra/ });
  await chain.waitFor();
  const row = chain.getByRole('row', { name: /Bostad ordnad/ });
  await expect(row.textContent()).resolves.toMatch(/Praktikplats.*21 d.*1 dag efter frigivningen/);
  await expectNoAxeViolations(page, 'a case with a chain that misses the release');
});

test('an address the role may not open, or that leads nowhere, says so', async () => {
  const page = await s.newPage();
  await signIn(page, { role: 'Handläggare på myndighet', agency: SOT.name, name: 'Sven Svensson' });
  await page.goto('/larm');
  await page.getByRole('heading', { level: 1, name: 'Ingen behörighet' }).waitFor();
  await expectNoAxeViolations(page, 'the forbidden page');
  await page.goto('/finns-inte');
  await page.getByRole('heading', { level: 1, name: 'Sidan finns inte' }).waitFor();
  await expectNoAxeViolations(page, 'the not-found page');
});

test('a coordinator gives the sentence instead of a date and sees the estimate; Kriminalvården\'s date later stands beside it', async () => {
  const page = await s.newPage();
  await signIn(page, { role: 'Samordnare', agency: KVV.name, name: 'Anna Andersson' });
  await page.getByRole('heading', { level: 1, name: 'Ärenden' }).waitFor();
  await page.getByRole('link', { name: 'Öppna nytt ärende' }).click();
  await page.getByRole('heading', { level: 1, name: 'Öppna nytt ärende' }).waitFor();
  await page.getByLabel('Namn', { exact: true }).fill('Sara Strafftid');
  await page.getByLabel('Folkbokföringskommun (kommunkod)').fill('1480');
  // No release date: 2 years 6 months begun a month ago, judgment final ten days before that.
  await page.getByLabel(/^Strafftid( \(frivilligt\))?$/).fill('2 år 6 månader');
  await page.getByLabel('Verkställigheten påbörjad').fill(swedishDatePlus(-30));
  await page.getByLabel('Domen vann laga kraft').fill(swedishDatePlus(-40));
  await page.getByRole('radio', { name: 'Medel' }).check();
  await page.getByRole('checkbox', { name: SOT.name }).check();
  await page.getByRole('button', { name: 'Öppna ärendet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sara Strafftid' }).waitFor();

  const caseId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
  const coordinator = await coordinatorToken(s);
  const opened = (await s.call('GET', `/v1/cases/${caseId}`, { token: coordinator })).body;
  expect(opened).toMatchObject({ releaseDateSource: 'estimate', sentence: { length: 'P2Y6M' }, releaseEstimate: { conditionalRelease: true } });
  expect(opened.expectedReleaseAt).toBe(opened.releaseEstimate.estimatedReleaseAt);
  const facts = page.locator('.facts').first();
  await expect(facts.textContent()).resolves.toContain('Uppskattning ur strafftiden');
  await expect(facts.textContent()).resolves.toContain(`Beräknad villkorlig frigivning${swedishDate(opened.releaseEstimate.estimatedReleaseAt)} (uppskattning)`);
  await expect(facts.textContent()).resolves.toContain(`Prövotid slutar${swedishDate(opened.releaseEstimate.probationEndsAt)} (uppskattning)`);
  await expect(facts.textContent()).resolves.toContain('2 år 6 månader');
  await expectNoAxeViolations(page, 'the case page with an estimated release');
  // The case list says so beside the date too, so nobody plans on the estimate as on the decision.
  await page.getByRole('link', { name: 'Ärenden', exact: true }).click();
  const listed = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Sara Strafftid' }) });
  await expect(listed.textContent()).resolves.toContain('Uppskattning ur strafftiden, inte Kriminalvårdens datum');
  await expectNoAxeViolations(page, 'the case list with an estimated release');
  await listed.getByRole('link', { name: 'Sara Strafftid' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sara Strafftid' }).waitFor();

  // Kriminalvården's own date: it is the release date now, the estimate is only shown beside it.
  const official = swedishDatePlus(500);
  await page.getByText('Ändra frigivningsdatum').click();
  await page.getByLabel('Planerad frigivning').fill(official);
  await page.getByLabel('Skäl till ändringen').fill('Strafftidsbeslut');
  await page.getByRole('button', { name: 'Spara frigivningsdatum' }).click();
  await page.getByText('Kriminalvårdens datum', { exact: true }).waitFor();
  await expect(facts.textContent()).resolves.toContain(`${official} 08:00`);
  await expect(facts.textContent()).resolves.toContain(`Beräknad villkorlig frigivning${swedishDate(opened.releaseEstimate.estimatedReleaseAt)} (uppskattning)`);
  await page.getByText('Ändra strafftid').click();
  await expectNoAxeViolations(page, 'the case page with both dates and the sentence form open');
  await page.getByRole('link', { name: 'Ärenden', exact: true }).click();
  const after = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Sara Strafftid' }) });
  await after.waitFor();
  await expect(after.textContent()).resolves.not.toContain('Uppskattning');
}, 60_000);
