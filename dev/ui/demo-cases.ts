import type { ApiTestStack } from '../api-stack';
import { stockholmDatePlus, stockholmDateToIso } from '../../ui/src/format';
import { eventually } from '../eventually';

/** A Swedish date `days` from today at a wall-clock time, as the open-case form would send it. */
const at = (days: number, time: string) => stockholmDateToIso(stockholmDatePlus(days), time);

interface DemoCase {
  name: string;
  phase: 'hakte' | 'anstalt' | 'utslussning';
  measure?: string;
  admittedDaysAgo: number;
  releaseInDays?: number;
  riskLevel: 'low' | 'medium' | 'high';
  needs: string[];
  consent: string[];
  successor?: string;
}

/*
 * Invented people (no real names or identity numbers) in different phases, under the default
 * policy: a release 10 or 20 days away means the 30-day housing deadline has already passed,
 * so their gaps and alerts are real ones, raised by the workflow, not written into the tables.
 */
const CASES: DemoCase[] = [
  { name: 'Maja Lindström', phase: 'anstalt', admittedDaysAgo: 400, releaseInDays: 45, riskLevel: 'high', needs: ['boende', 'missbruk'], consent: ['sot-1480', 'reg-vg', 'af', 'frv-gbg'], successor: 'frv-gbg' },
  { name: 'Johan Berg', phase: 'utslussning', measure: 'halvvagshus', admittedDaysAgo: 700, releaseInDays: 20, riskLevel: 'medium', needs: ['boende', 'forsorjning'], consent: ['sot-1480', 'af'] },
  { name: 'Sofia Karlsson', phase: 'anstalt', admittedDaysAgo: 200, releaseInDays: 10, riskLevel: 'high', needs: ['boende', 'psykisk_halsa'], consent: ['sot-1480', 'reg-vg', 'af', 'frv-gbg'], successor: 'frv-gbg' },
  { name: 'Ali Hassan', phase: 'hakte', admittedDaysAgo: 12, riskLevel: 'low', needs: ['psykisk_halsa'], consent: ['reg-vg'] },
  { name: 'Eva Nilsson', phase: 'anstalt', admittedDaysAgo: 300, releaseInDays: 150, riskLevel: 'low', needs: ['boende'], consent: ['sot-1480', 'af'] },
  { name: 'Peter Ek', phase: 'anstalt', admittedDaysAgo: 90, releaseInDays: 70, riskLevel: 'medium', needs: ['boende', 'skulder'], consent: ['sot-1480', 'af', 'reg-vg'] },
];

/** Opens the demo cases as a coordinator, has agencies act on some, and waits for the alerts. */
export async function seedDemoCases(s: ApiTestStack): Promise<{ caseIds: Record<string, string> }> {
  const coordinator = await s.token({ sub: 'anna', role: 'coordinator', agencyId: 'kvv-gbg', name: 'Anna Andersson' });
  const caseIds: Record<string, string> = {};
  for (const c of CASES) {
    const opened = await s.call('POST', '/v1/cases', {
      token: coordinator,
      headers: { 'idempotency-key': `demo-${Object.keys(caseIds).length}` },
      body: {
        client: { name: c.name, municipality: '1480' }, phase: c.phase, ...(c.measure ? { measure: c.measure } : {}),
        admittedAt: at(-c.admittedDaysAgo, '00:00'), ...(c.releaseInDays ? { expectedReleaseAt: at(c.releaseInDays, '08:00') } : {}),
        riskLevel: c.riskLevel, needs: c.needs, consent: { agencyIds: c.consent },
        responsibility: { holderAgencyId: 'kvv-gbg', ...(c.successor ? { successorAgencyId: c.successor } : {}) },
      },
    });
    if (opened.status !== 201) throw new Error(`open ${c.name}: ${opened.status} ${JSON.stringify(opened.body)}`);
    caseIds[c.name] = opened.body.caseId;
  }

  const act = async (agencyId: string, name: string, area: string, verb: 'accept' | 'complete', note: string) => {
    const token = await s.token({ sub: `${agencyId}-handlaggare`, role: 'agency', agencyId });
    const view = await s.call('GET', `/v1/cases/${caseIds[name]}`, { token });
    const i = view.body.interventions.find((x: { area: string }) => x.area === area);
    const r = await s.call('POST', `/v1/cases/${caseIds[name]}/interventions/${i.interventionId}/${verb}`, { token, body: { note } });
    if (r.status !== 200) throw new Error(`${verb} ${name}/${area}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  await act('af', 'Maja Lindström', 'sysselsattning', 'complete', 'Inskriven hos Arbetsförmedlingen');
  await act('sot-1480', 'Maja Lindström', 'boende', 'accept', 'Bostadssökande påbörjat');
  await act('reg-vg', 'Sofia Karlsson', 'psykisk_halsa', 'complete', 'Tid hos psykiatrisk öppenvård bokad');
  await act('af', 'Eva Nilsson', 'sysselsattning', 'accept', 'Första möte bokat');

  // Overdue at once: Johan's and Sofia's housing, Sofia's employment contact.
  const supervisor = await s.token({ sub: 'sara', role: 'supervisor', agencyId: 'sot-1480' });
  await eventually(async () => {
    const open = await s.call('GET', '/v1/alerts', { token: supervisor });
    if (open.body.items.length < 2) throw new Error(`only ${open.body.items.length} alerts so far`);
  }, 30_000);
  return { caseIds };
}
