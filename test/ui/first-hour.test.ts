import { luhnCheckDigit } from '../../domain/personal-identity-number';
import { eventually } from '../../dev/eventually';
import { expectNoAxeViolations } from './support/axe';
import { swedishDatePlus } from './support/dates';
import { coordinatorToken, KVV, openCaseDueIn, SOT } from './support/seed';
import { signIn } from '../../dev/ui/sign-in';
import { startUiTestStack, type UiTestStack } from './support/ui-stack';

/*
 * Issue 21, what a coordinator, an officer and a supervisor trip over in their first hour, in a
 * real browser on the real stack (axe at every state): clients of the same name told apart,
 * the policy chosen from the registered ones, an error summary that names its fields, a history
 * with details for every event, an inbox that leads to the case and to its coordinator, and an
 * alert page grouped by case and filtered.
 */

let s: UiTestStack;
beforeAll(async () => {
  s = await startUiTestStack();
}, 90_000);
afterAll(async () => {
  await s?.close();
});
afterEach(() => {
  expect(s.pageErrors.splice(0)).toEqual([]);
});

const pin = (birth: string, serial = '237') => `${birth}${serial}${luhnCheckDigit(`${birth.slice(2)}${serial}`)}`;
const DAY = 86_400_000;
const NAME = 'Alex Andersson';

/** A case with nothing due for months, for a client of `NAME`. */
async function openQuietCase(client: Record<string, unknown>, key: string): Promise<string> {
  const r = await s.call('POST', '/v1/cases', {
    token: await coordinatorToken(s),
    headers: { 'idempotency-key': `first-hour-${key}` },
    body: {
      client: { name: NAME, ...client }, phase: 'anstalt', admittedAt: new Date(Date.now() - DAY).toISOString(),
      expectedReleaseAt: new Date(Date.now() + 200 * DAY).toISOString(), riskLevel: 'medium', needs: ['boende'],
      consent: { agencyIds: [SOT.agencyId, 'af', 'frv-gbg'] }, responsibility: { successorAgencyId: 'frv-gbg' },
    },
  });
  if (r.status !== 201) throw new Error(`open: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.caseId as string;
}

let gothenburg = '';
beforeAll(async () => {
  gothenburg = await openQuietCase({ municipality: '1480', personalIdentityNumber: pin('19850101') }, 'gbg');
  await openQuietCase({ municipality: '0180', personalIdentityNumber: pin('19920315', '111') }, 'sthlm');
  await openQuietCase({ municipality: '9999' }, 'unknown');
}, 60_000);

test('two clients of the same name are told apart in the case list by birth date and municipality name', async () => {
  const page = await s.newPage();
  await signIn(page, { role: 'Samordnare', agency: KVV.name, name: 'Anna Andersson' });
  const rows = page.getByRole('row').filter({ has: page.getByRole('link', { name: NAME }) });
  await rows.nth(2).waitFor();
  await expect(rows.count()).resolves.toBe(3);
  const texts = (await rows.allTextContents()).join('\n');
  expect(texts).toContain('född 1985-01-01 · Kommun Göteborg (1480)');
  expect(texts).toContain('född 1992-03-15 · Kommun Stockholm (0180)');
  // A code that is no municipality is shown as it is.
  expect(texts).toMatch(/Kommun 9999(?! \()/);
  await expectNoAxeViolations(page, 'the case list with two clients of one name');
});

test('the new-case form offers the registered policies with descriptions, and its error summary names each field', async () => {
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  const published = await s.call('PUT', '/v1/policies/kort-straff', {
    token: admin,
    body: { description: 'För straff kortare än fyra månader: tätare frister.', requirements: [], followUps: { high: ['P1D'], medium: ['P7D'], low: ['P30D'] } },
  });
  expect(published.status).toBe(200);

  const page = await s.newPage();
  await signIn(page, { role: 'Samordnare', agency: KVV.name, name: 'Anna Andersson' });
  await page.goto('/arenden/nytt');
  const policies = page.getByRole('group', { name: 'Policy' });
  await policies.getByRole('radio', { name: /^kort-straff/ }).waitFor();
  await expect(policies.getByRole('radio', { name: /^default/ }).isChecked()).resolves.toBe(true);
  // Each description is read with its choice.
  await expect(policies.getByRole('radio', { name: /^kort-straff/ }).getAttribute('aria-describedby')).resolves.toBeTruthy();
  await expect(policies.textContent()).resolves.toContain('För straff kortare än fyra månader: tätare frister.');
  await expect(policies.textContent()).resolves.toMatch(/Standard för de flesta klienter/);
  await expect(page.getByRole('textbox', { name: 'Policy' }).count()).resolves.toBe(0);

  await page.getByLabel('Folkbokföringskommun (kommunkod)').fill('0180');
  await page.getByText('0180 är Stockholm.').waitFor();
  await page.getByRole('button', { name: 'Öppna ärendet' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Ärendet kunde inte öppnas' });
  const lines = await summary.getByRole('listitem').allTextContents();
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines) expect(line).toMatch(/^(Namn|Folkbokföringskommun|Planerad frigivning|Risknivå|Behov|Samtycke|Policy|Fas|Inskriven|Har helhetsansvaret nu): \S/);
  expect(lines).toContain('Risknivå: välj ett av alternativen.');
  expect(lines).toContain('Namn: fältet måste fyllas i.');
  await expectNoAxeViolations(page, 'the open-case form with its error summary and the policies');

  await page.getByLabel('Namn', { exact: true }).fill('Kim Kortare');
  await page.getByLabel('Folkbokföringskommun (kommunkod)').fill('1480');
  await page.getByLabel('Planerad frigivning').fill(swedishDatePlus(60));
  await page.getByRole('radio', { name: 'Medel' }).check();
  await policies.getByRole('radio', { name: /^kort-straff/ }).check();
  await page.getByRole('button', { name: 'Öppna ärendet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Kim Kortare' }).waitFor();
  await expect(page.locator('.facts').first().textContent()).resolves.toContain('kort-straff, version 1');
});

test('the history gives every event its details, a risk-level change included', async () => {
  const coordinator = await coordinatorToken(s);
  const changed = await s.call('PUT', `/v1/cases/${gothenburg}/risk-level`, { token: coordinator, body: { riskLevel: 'high', reason: 'Ny riskbedömning' } });
  expect(changed.status).toBe(200);
  const page = await s.newPage();
  await signIn(page, { role: 'Samordnare', agency: KVV.name, name: 'Anna Andersson' });
  await page.goto(`/arenden/${gothenburg}`);
  const history = page.getByRole('table', { name: /Ärendets historik/ });
  const risk = history.getByRole('row').filter({ hasText: 'Risknivå ändrad' });
  await risk.waitFor();
  await expect(risk.getByRole('cell').nth(3).textContent()).resolves.toBe('Medel → Hög: Ny riskbedömning');
  const details = await history.locator('tbody tr td:nth-child(4)').allTextContents();
  expect(details.length).toBeGreaterThan(3);
  for (const d of details) expect(d.trim()).not.toBe('');
  await expectNoAxeViolations(page, 'the case history');
});

test('an alert closed by completed work is put down to that work in the history, a raised one to its deadline', async () => {
  const { caseId } = await openCaseDueIn(s, { name: 'Spår Spårsson', dueInSeconds: -60, key: 'trail' });
  const coordinator = await coordinatorToken(s);
  const events = async () => (await s.call('GET', `/v1/cases/${caseId}/events`, { token: coordinator })).body.items as { type: string; data: Record<string, unknown> }[];
  const raised = await eventually(async () => {
    const a = (await events()).find((e) => e.type === 'AlertRaised' && e.data.kind === 'intervention_overdue');
    if (!a) throw new Error('not raised yet');
    return a;
  }, 30_000);
  const officer = await s.token({ sub: 'officer-sven', role: 'agency', agencyId: SOT.agencyId });
  const done = await s.call('POST', `/v1/cases/${caseId}/interventions/${String(raised.data.interventionId)}/complete`, { token: officer, body: {} });
  expect(done.status).toBe(200);
  await eventually(async () => {
    if (!(await events()).some((e) => e.type === 'AlertResolved' && e.data.alertId === raised.data.alertId)) throw new Error('not resolved yet');
  }, 30_000);

  const page = await s.newPage();
  await signIn(page, { role: 'Samordnare', agency: KVV.name, name: 'Anna Andersson' });
  await page.goto(`/arenden/${caseId}`);
  const history = page.getByRole('table', { name: /Ärendets historik/ });
  const resolved = history.getByRole('row').filter({ hasText: 'Larm åtgärdat' }).filter({ hasText: 'Insats inte klar i tid' });
  await resolved.waitFor();
  await expect(resolved.getByRole('cell').nth(2).textContent()).resolves.toBe('Automatiskt: luckan stängdes när insatsen ”Bostad ordnad” blev klar');
  const raisedRow = history.getByRole('row').filter({ hasText: 'Larm utlöst' }).filter({ hasText: SOT.name }).first();
  await expect(raisedRow.getByRole('cell').nth(2).textContent()).resolves.toBe('Automatiskt (tidsfrist)');
  await expectNoAxeViolations(page, 'the history with an alert closed by work');
}, 90_000);

test("the officer's task names the client's birth date, leads to the case and names the coordinator and its contact", async () => {
  const page = await s.newPage();
  await signIn(page, { role: 'Handläggare på myndighet', agency: SOT.name, name: 'Sven Svensson' });
  const task = page.getByRole('article').filter({ hasText: 'född 1985-01-01' });
  await task.waitFor();
  const text = await task.textContent();
  expect(text).toContain('Kommun Göteborg (1480)');
  expect(text).toContain(KVV.name);
  await expect(task.getByRole('link', { name: '010-000 00 01' }).getAttribute('href')).resolves.toBe('tel:0100000001');
  await expect(task.getByRole('link', { name: 'samordning.goteborg@kvv.example.se' }).getAttribute('href')).resolves.toBe('mailto:samordning.goteborg@kvv.example.se');
  await expectNoAxeViolations(page, 'the inbox with links to the case and the coordinator');

  await task.getByRole('link', { name: `Visa det du får se av ärendet för ${NAME}` }).click();
  await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
  expect(new URL(page.url()).pathname).toBe(`/arenden/${gothenburg}`);
  // The officer's view: its own work only, and no history.
  const plan = page.getByRole('table', { name: /Insatser i planen/ });
  await expect(plan.getByRole('row').filter({ hasText: 'Bostad ordnad' }).count()).resolves.toBe(1);
  await expect(plan.textContent()).resolves.not.toContain('Arbetsförmedlingen');
  await expect(page.getByRole('table', { name: /Ärendets historik/ }).count()).resolves.toBe(0);
  await expectNoAxeViolations(page, "the officer's view of the case");
});

test('the supervisor sees alerts grouped by case, filters by level, kind and age, and how long each has been open', async () => {
  // Release a day away: the successor and the meeting are missing, the plan is late, at once.
  const one = await openCaseDueIn(s, { name: 'Larm Ett', dueInSeconds: -60, key: 'alerts-1' });
  const two = await openCaseDueIn(s, { name: 'Larm Två', dueInSeconds: -60, key: 'alerts-2' });
  const supervisor = await s.token({ sub: 'kerstin', role: 'supervisor', agencyId: KVV.agencyId });
  const openAlerts = async () => (await s.call('GET', '/v1/alerts?status=open', { token: supervisor })).body.items as { caseId: string; kind: string; level: number }[];
  await eventually(async () => {
    const items = await openAlerts();
    for (const c of [one, two]) if (new Set(items.filter((a) => a.caseId === c.caseId).map((a) => a.kind)).size < 2) throw new Error(`${items.length} alerts so far`);
  }, 30_000);

  const page = await s.newPage();
  await signIn(page, { role: 'Enhetschef', agency: KVV.name, name: 'Kerstin Chef' });
  const open = page.getByRole('region', { name: /^Öppna larm/ });
  const group = (name: string) => open.getByRole('region', { name: new RegExp(`^${name}`) });
  await group('Larm Två').waitFor();
  // Each case's alerts under its name (the schedule may still be adding some: compared until equal).
  const alerts = await eventually(async () => {
    const items = await openAlerts();
    for (const [name, c] of [['Larm Ett', one], ['Larm Två', two]] as const) {
      expect(await group(name).getByRole('article').count()).toBe(items.filter((a) => a.caseId === c.caseId).length);
    }
    expect(await open.getByRole('region').count()).toBe(new Set(items.map((a) => a.caseId)).size);
    expect(await open.getByRole('article').count()).toBe(items.length);
    return items;
  });
  // How long each has been open, on every alert.
  for (const d of await open.locator('.alert-open-for').allTextContents()) expect(d).toMatch(/^i (under en minut|\d+ minut(er)?)$/);
  await expectNoAxeViolations(page, 'the alerts grouped by case');

  const kind = alerts[0]!.kind;
  const kindLabel = await page.getByRole('combobox', { name: 'Typ av glapp' }).locator(`option[value="${kind}"]`).textContent();
  await page.getByRole('combobox', { name: 'Typ av glapp' }).selectOption(kind);
  await eventually(async () => expect(await open.getByRole('article').count()).toBe(alerts.filter((a) => a.kind === kind).length));
  for (const h of await open.getByRole('article').getByRole('heading').allTextContents()) expect(h).toContain(kindLabel);
  await page.getByText(/öppna larm matchar filtret/).waitFor();
  await expectNoAxeViolations(page, 'the alerts filtered by kind');
  // The filter is in the address: a reload (or the link sent to a colleague) shows the same.
  expect(new URL(page.url()).search).toBe(`?typ=${kind}`);
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Typ av glapp' }).inputValue()).resolves.toBe(kind);
  await eventually(async () => expect(await open.getByRole('article').count()).toBe(alerts.filter((a) => a.kind === kind).length));

  await page.getByRole('combobox', { name: 'Typ av glapp' }).selectOption('');
  await page.getByRole('combobox', { name: 'Nivå' }).selectOption('3');
  await open.getByText('Inga öppna larm matchar filtret.').waitFor();
  await page.getByRole('combobox', { name: 'Nivå' }).selectOption('1');
  await eventually(async () => expect(await open.getByRole('article').count()).toBe(alerts.filter((a) => a.level === 1).length));
  // Nothing has been open for a day yet.
  await page.getByRole('combobox', { name: 'Öppet' }).selectOption({ label: 'minst 1 dygn' });
  await open.getByText('Inga öppna larm matchar filtret.').waitFor();
  expect(new URL(page.url()).search).toBe('?niva=1&oppet=1');
  await expectNoAxeViolations(page, 'the alerts with nothing matching the filter');
}, 90_000);
