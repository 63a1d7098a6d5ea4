import type { ApiTestStack } from '../../../dev/api-stack';

/** The directory's agencies the stories act for (dev/fixtures.ts). */
export const KVV = { agencyId: 'kvv-gbg', name: 'Kriminalvården Göteborg' };
export const SOT = { agencyId: 'sot-1480', name: 'Socialtjänsten Göteborg' };

export const coordinatorToken = (s: ApiTestStack) => s.token({ sub: 'anna', role: 'coordinator', agencyId: KVV.agencyId, name: 'Anna Andersson' });

/**
 * Through the API, the way a coordinator would: opens a case for `name` whose housing
 * requirement (socialtjänsten, due a day before release) falls due `dueInSeconds` from now;
 * negative for one overdue from the start. Release stays a day away, so nothing else falls due
 * while a test runs.
 */
export async function openCaseDueIn(s: ApiTestStack, opts: { name: string; dueInSeconds: number; key: string }): Promise<{ caseId: string }> {
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  const policyId = `ui-${opts.key}`;
  const policy = await s.call('PUT', `/v1/policies/${policyId}`, {
    token: admin,
    body: {
      requirements: [{ area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'P1D', title: 'Bostad ordnad' }],
      reminders: [], escalation: { level2After: 'PT1H' }, followUps: { high: ['P1D'], medium: ['P7D'], low: ['P30D'] },
    },
  });
  if (policy.status !== 200) throw new Error(`policy: ${policy.status} ${JSON.stringify(policy.body)}`);
  const opened = await s.call('POST', '/v1/cases', {
    token: await coordinatorToken(s),
    // The key decides the case id, and workflow ids are shared by every file on the run's Temporal
    // server: the stack's own task queue keeps two files' cases apart.
    headers: { 'idempotency-key': `ui-open-${s.taskQueue}-${opts.key}` },
    body: {
      client: { name: opts.name, municipality: '1480' }, phase: 'anstalt', admittedAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
      expectedReleaseAt: new Date(Date.now() + 86_400_000 + opts.dueInSeconds * 1000).toISOString(), riskLevel: 'medium', needs: ['boende'],
      consent: { agencyIds: [SOT.agencyId] }, policyId,
    },
  });
  if (opened.status !== 201) throw new Error(`open case: ${opened.status} ${JSON.stringify(opened.body)}`);
  return { caseId: opened.body.caseId as string };
}
