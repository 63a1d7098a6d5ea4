import { openCaseBodySchema } from '../../domain/schemas/open-case-body';
import { swedishMessage } from '../../ui/src/messages';
import { validPin } from '../api/support';

/* The messages the open-case body's own rules give reach the coordinator in Swedish. */

const body = (personalIdentityNumber: string) => ({
  client: { name: 'Test Testsson', municipality: '1480', personalIdentityNumber },
  phase: 'hakte', admittedAt: '2026-11-01T08:00:00Z', riskLevel: 'low', consent: { agencyIds: [] }, policyId: 'default',
});
const messageFor = (pin: string) => {
  const r = openCaseBodySchema.safeParse(body(pin));
  const issue = r.error?.issues.find((i) => i.path.join('.') === 'client.personalIdentityNumber');
  if (!issue) throw new Error(`no issue at the personal identity number for ${pin}`);
  return issue.message;
};

test.each([
  ['a date of birth in the future', validPin('20991231'), 'Personnumret har ett födelsedatum som inte har inträffat än.'],
  ['a wrong check digit', `${validPin().slice(0, 11)}${(Number(validPin().slice(11)) + 1) % 10}`, 'Personnumret har fel kontrollsiffra.'],
  ['no valid date', validPin('19851332'), 'Personnumret innehåller inget giltigt födelsedatum.'],
])('a personal identity number with %s is refused with a Swedish message', (_what, pin, swedish) => {
  expect(swedishMessage(messageFor(pin))).toBe(swedish);
});
