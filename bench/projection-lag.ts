import { randomUUID } from 'node:crypto';
import { commandRequest, DAY, isoIn, type BenchContext } from './context';
import { openCaseCommand } from './lifecycle';
import { startProfile } from './profile';
import { progress } from './progress';
import { PROBE_AGENCY } from './stack';
import { round, summarize } from './stats';

/**
 * Phase 4, command accepted → visible in the agency's inbox. A coordinator adds an intervention
 * for the probe agency through the API (POST /v1/cases/:id/interventions); the moment the 201
 * arrives is "accepted". Then the probe agency's inbox (GET /v1/tasks) is read back to back
 * until it lists the new task; "visible" is when that response has arrived, so the figure
 * includes one inbox round trip. The probe agency has an inbox of its own so the new task is
 * never pushed past the inbox's page by others' tasks.
 */

export interface ProjectionLagResult { p50Ms: number; p99Ms: number }

export async function projectionLagPhase(ctx: BenchContext): Promise<ProjectionLagResult> {
  const { stack } = ctx;
  const caseCount = ctx.quick ? 3 : 10;
  const perCase = ctx.quick ? 7 : 30;
  const consent = ['sot-1480', 'reg-vg', 'af', 'frv-gbg', PROBE_AGENCY.agencyId];
  const caseIds = Array.from({ length: caseCount }, () => `lag-${randomUUID()}`);
  for (const id of caseIds) await stack.journeys.open(id, commandRequest(openCaseCommand(id, { consent })));
  const coordinator = await stack.token({ sub: 'bench-coordinator', role: 'coordinator', agencyId: 'kvv-gbg' });
  const probe = await stack.token({ sub: 'bench-probe-officer', role: 'agency', agencyId: PROBE_AGENCY.agencyId });

  const inbox = async (): Promise<Set<string>> => {
    const res = await fetch(`${stack.api.url}/v1/tasks`, { headers: { authorization: `Bearer ${probe}` } });
    const body = (await res.json()) as { items: { taskId: string }[] };
    if (res.status !== 200) throw new Error(`GET /v1/tasks: ${res.status} ${JSON.stringify(body)}`);
    return new Set(body.items.map((t) => t.taskId));
  };

  const lag: number[] = [];
  const command: number[] = [];
  let firstPollHits = 0;
  const total = caseCount * perCase;
  const profile = startProfile(ctx.profileTargets(), { databaseUrl: stack.databaseUrl });
  const bar = progress('projectionLag', total);
  for (let k = 0; k < total; k++) {
    const caseId = caseIds[k % caseCount]!;
    const title = `Sondering ${k}`;
    const sent = performance.now();
    const res = await fetch(`${stack.api.url}/v1/cases/${caseId}/interventions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${coordinator}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      // Each new task falls due before the ones already there, so it leads the inbox's first page
      // (pages of PAGE_LIMIT_DEFAULT by deadline) however many came before it.
      body: JSON.stringify({ area: 'annat', title, agencyId: PROBE_AGENCY.agencyId, requiredBeforeRelease: false, dueAt: isoIn(365 * DAY - k * 60_000) }),
    });
    const view = (await res.json()) as { interventions?: { interventionId: string; title: string }[] };
    const accepted = performance.now();
    if (res.status !== 201) throw new Error(`POST interventions: ${res.status} ${JSON.stringify(view)}`);
    const added = view.interventions?.find((i) => i.title === title);
    if (!added) throw new Error('the new intervention is not in the case view');
    const taskId = `${caseId}/${added.interventionId}`;
    for (let polls = 1; ; polls++) {
      if ((await inbox()).has(taskId)) {
        if (polls === 1) firstPollHits += 1;
        break;
      }
      if (performance.now() - accepted > 30_000) throw new Error(`task ${taskId} not in the inbox 30 s after acceptance`);
    }
    lag.push(performance.now() - accepted);
    command.push(accepted - sent);
    bar.tick();
  }
  bar.done();
  ctx.profile('projectionLag', await profile.stop());
  const l = summarize(lag);
  const c = summarize(command);
  ctx.detail('projectionLag', { samples: total, acceptedToVisible: l, commandRoundTrip: c, visibleOnFirstRead: firstPollHits });
  ctx.note('projectionLag', `${total} add_intervention commands over HTTP; accepted = 201 received, visible = first inbox response listing ` +
    `the task (${firstPollHits}/${total} on the first read: the projection commits with the event, before the update returns). ` +
    `The command itself took p50 ${c.p50Ms.toFixed(0)} ms, p99 ${c.p99Ms.toFixed(0)} ms.`);
  return { p50Ms: round(l.p50Ms, 2), p99Ms: round(l.p99Ms, 2) };
}
