import { eventually } from '../../dev/eventually';
import { signIn } from '../../dev/ui/sign-in';
import { setEnv } from '../delivery/support';
import { expectNoAxeViolations } from './support/axe';
import { KVV, SOT, coordinatorToken, openCaseDueIn } from './support/seed';
import { startUiTestStack, type UiTestStack } from './support/ui-stack';

/*
 * Issue 19 in the browser: a required intervention the forecast predicts late is marked in the
 * agency's inbox and on the coordinator's case page, in Swedish, with the chance and what it rests
 * on, as a warning and not as an alert; and the pages pass the accessibility checks.
 */

let s: UiTestStack;
let restoreEnv: () => void;
beforeAll(async () => {
  restoreEnv = setEnv({ FORECAST_INTERVAL: 'PT2S' });
  s = await startUiTestStack();
}, 90_000);
afterAll(async () => {
  await s?.close();
  restoreEnv?.();
});
afterEach(() => {
  expect(s.pageErrors.splice(0)).toEqual([]);
});

test('the agency and the coordinator see that housing is likely to be late, and why', async () => {
  // Housing due in 10 days, no measured work yet: the prior (median 14 days) gives 1 − 0.5^(10/14) ≈ 39 %.
  const { caseId } = await openCaseDueIn(s, { name: 'Pia Prognos', dueInSeconds: 10 * 86_400, key: 'forecast' });
  const token = await coordinatorToken(s);
  await eventually(async () => {
    const view = await s.call('GET', `/v1/cases/${caseId}`, { token });
    expect(view.body.interventions[0].likelyLate).toBeDefined();
  }, 20_000, 200);

  const page = await s.newPage();
  await signIn(page, { role: 'Handläggare på myndighet', agency: SOT.name, name: 'Sven Svensson' });
  const task = page.getByRole('article').filter({ hasText: 'Pia Prognos' });
  await task.getByText('Risk för sen insats').waitFor();
  const text = (await task.textContent())!.replace(/\s/g, ' ');
  expect(text).toContain('39 % chans att bli klar i tid');
  expect(text).toContain('för få insatser att mäta');
  // A warning, not the overdue mark.
  expect(text).not.toContain('Försenad');
  await expectNoAxeViolations(page, 'the inbox with a task likely to be late');

  const coord = await s.newPage();
  await signIn(coord, { role: 'Samordnare', agency: KVV.name, name: 'Anna Andersson' });
  await coord.goto(`/arenden/${caseId}`);
  const panel = coord.getByRole('region', { name: /Risk för sena insatser \(1\)/ });
  await panel.waitFor();
  expect((await panel.textContent())!.replace(/\s/g, ' ')).toMatch(/Bostad ordnad.*Socialtjänsten Göteborg.*39 % chans att bli klar i tid/);
  await expect(coord.getByRole('table', { name: /Insatser i planen/ }).getByRole('row', { name: /Bostad ordnad/ }).textContent()).resolves.toContain('Risk för sen insats');
  await coord.getByText('Automatiskt (prognos)').first().waitFor();
  await expectNoAxeViolations(coord, 'a case with an intervention likely to be late');
}, 90_000);
