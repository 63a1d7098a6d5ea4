import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Agency } from '../domain/schemas/agency';
import type { ApiTestStack } from '../dev/api-stack';
import { startStandaloneApiStack } from '../dev/standalone-stack';
import { historyToJson } from '../dev/histories/history-json';
import { caseWorkflowId, stateQuery } from '../workflows/messages';
import { runMain } from './run-main';

/**
 * How much one representative case puts into Temporal history, through the real API: a case
 * opened with the default policy and ~10 typical commands, played to its end. Prints the bytes of
 * the history as JSON (`fetchHistory()`, in the format of `temporal workflow show --output json`),
 * its number of events, and the share of the updates' requests and answers. Played twice: with
 * the tests' five agencies, and with a directory of a whole country's size (synthetic units for
 * 290 municipalities), since every update used to carry the whole directory. Also per update:
 * the bytes of its request and of its answer, and the history events per command; and what the
 * events are made of (workflow tasks, activity tasks, local activities, upserts of the journey's
 * search attributes, timers).
 *
 *   npx tsx scripts/measure-history-size.ts
 *
 * To compare with older workflow code, run this same file in a worktree of that commit (it uses
 * nothing the older code lacks), e.g. `git worktree add --detach /tmp/before main`, copy the
 * script there and run it with `timeout 300`: one stack per run, no patch held back mid-run.
 */
const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
const { EventType } = temporal.api.enums.v1;

/** Made-up units of every kind for 290 made-up municipality codes, none serving 1480 (Göteborg). */
function nationalDirectory(): Agency[] {
  const codes = Array.from({ length: 290 }, (_, i) => String(100 + i * 7).padStart(4, '0')).filter((c) => c !== '1480');
  const chunks = (size: number) => Array.from({ length: Math.ceil(codes.length / size) }, (_, i) => codes.slice(i * size, (i + 1) * size));
  return [
    ...codes.map((c): Agency => ({ agencyId: `sot-${c}`, type: 'socialtjansten', name: `Socialtjänsten ${c}`, municipalities: [c] })),
    ...chunks(14).map((m, i): Agency => ({ agencyId: `reg-${i + 1}`, type: 'regionen', name: `Region ${i + 1}`, municipalities: m })),
    ...chunks(9).map((m, i): Agency => ({ agencyId: `frv-${i + 1}`, type: 'frivarden', name: `Frivården ${i + 1}`, municipalities: m })),
    ...chunks(30).map((m, i): Agency => ({ agencyId: `ngo-${i + 1}`, type: 'ideell', name: `Ideell förening ${i + 1}`, municipalities: m })),
  ];
}

interface Figures {
  agencies: number;
  events: number;
  bytes: number;
  updates: number;
  updateRequestBytes: number;
  updateAnswerBytes: number;
  workflowTasks: number;
  activityTasks: number;
  localActivities: number;
  journeyUpserts: number;
  timers: number;
  /** Bytes of the history JSON by event type, largest first. */
  byType: Record<string, number>;
}

async function playCase(s: ApiTestStack, agencies: number): Promise<Figures> {
  const token = (sub: string, role: string, agencyId: string) => s.token({ sub, role, agencyId });
  const [coordinator, social, probation] = await Promise.all([
    token('coord-m', 'coordinator', 'kvv-gbg'), token('sot-m', 'agency', 'sot-1480'), token('frv-m', 'agency', 'frv-gbg'),
  ]);
  const opened = await s.call('POST', '/v1/cases', {
    token: coordinator,
    body: {
      client: { name: 'Klient Mätsson', municipality: '1480' }, phase: 'anstalt', admittedAt: inDays(-1), expectedReleaseAt: inDays(120),
      riskLevel: 'high', needs: ['boende', 'missbruk'], consent: { agencyIds: ['sot-1480', 'reg-vg', 'af', 'frv-gbg'] },
      responsibility: { successorAgencyId: 'frv-gbg' }, policyId: 'default',
    },
  });
  if (opened.status !== 201) throw new Error(`open: ${opened.status} ${JSON.stringify(opened.body)}`);
  const c = `/v1/cases/${opened.body.caseId as string}`;
  const steps: [string, string, unknown, string][] = [
    ['PUT', `${c}/needs`, { needs: ['boende', 'missbruk', 'forsorjning'] }, coordinator],
    ['POST', `${c}/meetings`, { agencyIds: ['sot-1480', 'reg-vg'] }, coordinator],
    ['POST', `${c}/plan/adopt`, {}, coordinator],
    ['POST', `${c}/interventions/i1/accept`, {}, social],
    ['POST', `${c}/interventions/i1/complete`, { note: 'lägenhet ordnad' }, social],
    ['PUT', `${c}/risk-level`, { riskLevel: 'medium', reason: 'ny riskbedömning' }, coordinator],
    ['POST', `${c}/interventions`, { area: 'natverk', title: 'Mentor', agencyId: 'af', requiredBeforeRelease: false }, coordinator],
    ['PUT', `${c}/client-view`, { text: 'vill bo kvar i Göteborg' }, coordinator],
    ['POST', `${c}/transitions`, { to: 'frigiven' }, coordinator],
    ['POST', `${c}/follow-ups/f1/complete`, {}, probation],
    ['POST', `${c}/transitions`, { to: 'avslutad', reason: 'prövotiden har löpt ut' }, coordinator],
  ];
  for (const [method, path, body, as] of steps) {
    const r = await s.call(method, path, { token: as, body });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const handle = s.client.workflow.getHandle(caseWorkflowId(opened.body.caseId as string));
  // Under the case rules 2 a closed case waits until its alerts are acknowledged: the supervisors
  // of the agencies they went to acknowledge them, as they would. Never waits unbounded.
  if (!(await endsWithin(handle, 5_000))) {
    const state = await handle.query(stateQuery);
    for (const alert of state?.alerts.filter((a) => a.status === 'open') ?? []) {
      const supervisor = await token(`sup-${alert.agencyId}`, 'supervisor', alert.agencyId);
      const r = await s.call('POST', `/v1/alerts/${alert.alertId}/acknowledge`, { token: supervisor, body: {} });
      if (r.status >= 300) throw new Error(`acknowledge ${alert.alertId}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    if (!(await endsWithin(handle, 30_000))) throw new Error('the case did not end after its alerts were acknowledged');
  }
  const history = await handle.fetchHistory();
  const json = JSON.parse(historyToJson(history)) as { events: unknown[] };
  const sizeOf = (type: number) => history.events!
    .map((e, i) => (e.eventType === type ? Buffer.byteLength(JSON.stringify(json.events[i])) : 0))
    .reduce((a, b) => a + b, 0);
  const count = (type: number) => history.events!.filter((e) => e.eventType === type).length;
  return {
    agencies,
    events: history.events!.length,
    // As the recorder writes a fixture: the JSON without indentation.
    bytes: Buffer.byteLength(JSON.stringify(json)),
    updates: count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
    updateRequestBytes: sizeOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
    updateAnswerBytes: sizeOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED),
    workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    activityTasks: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    localActivities: history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
    // The SDK upserts TemporalChangeVersion with each patch marker: only the journey's own count here.
    journeyUpserts: history.events!.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.JourneyPhase).length,
    timers: count(EventType.EVENT_TYPE_TIMER_STARTED),
    byType: Object.fromEntries(
      [...new Set(history.events!.map((e) => e.eventType!))]
        .map((t) => [EventType[t]!.replace('EVENT_TYPE_', ''), sizeOf(t)] as const)
        .sort((a, b) => b[1] - a[1]),
    ),
  };
}

async function endsWithin(handle: WorkflowHandle, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([handle.result().then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const s = await startStandaloneApiStack();
  try {
    const admin = await s.token({ sub: 'admin-m', role: 'admin' });
    const small = await playCase(s, 5);
    const national = nationalDirectory();
    for (const { agencyId, ...body } of national) {
      const r = await s.call('PUT', `/v1/agencies/${agencyId}`, { token: admin, body });
      if (r.status !== 200) throw new Error(`agency ${agencyId}: ${r.status}`);
    }
    const large = await playCase(s, 5 + national.length);
    console.log('directory   events   history JSON   update requests   update answers');
    for (const f of [small, large]) {
      console.log(`${String(f.agencies).padStart(4)} agencies ${String(f.events).padStart(6)} ${kib(f.bytes).padStart(14)} ${kib(f.updateRequestBytes).padStart(17)} ${kib(f.updateAnswerBytes).padStart(16)}   (${f.bytes} bytes)`);
    }
    console.log('\ndirectory   updates  events/update  bytes/request  bytes/answer  history bytes/update  workflow tasks  activity tasks  local activities  journey upserts  timers');
    for (const f of [small, large]) {
      const per = (n: number) => Math.round(n / f.updates);
      console.log([
        `${String(f.agencies).padStart(4)} agencies`, String(f.updates).padStart(9), (f.events / f.updates).toFixed(1).padStart(14),
        String(per(f.updateRequestBytes)).padStart(14), String(per(f.updateAnswerBytes)).padStart(13), String(per(f.bytes)).padStart(21),
        String(f.workflowTasks).padStart(15), String(f.activityTasks).padStart(15), String(f.localActivities).padStart(17),
        String(f.journeyUpserts).padStart(16), String(f.timers).padStart(7),
      ].join(''));
    }
    console.log('\nbytes by event type (5 agencies):');
    for (const [type, bytes] of Object.entries(small.byType)) console.log(`  ${type.padEnd(44)} ${String(bytes).padStart(8)}`);
    console.log(`\n${JSON.stringify({ small, large })}`);
  } finally {
    await s.close();
  }
}

runMain(main);
