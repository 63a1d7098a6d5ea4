import { temporal } from '@temporalio/proto';
import type { Agency } from '../domain/agency';
import type { ApiTestStack } from '../test/support/api-stack';
import { startStandaloneApiStack } from '../test/support/standalone-stack';
import { historyToJson } from '../test/workflow/history-json';
import { caseWorkflowId } from '../workflows/messages';
import { runMain } from './run-main';

/**
 * How much one representative case puts into Temporal history, through the real API: a case
 * opened with the default policy and ~10 typical commands, played to its end. Prints the bytes of
 * the history as JSON (`fetchHistory()`, in the format of `temporal workflow show --output json`),
 * its number of events, and the share of the updates' requests and answers. Played twice: with
 * the tests' five agencies, and with a directory of a whole country's size (synthetic units for
 * 290 municipalities), since every update used to carry the whole directory.
 *
 *   npx tsx scripts/measure-history-size.ts
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
  updateRequestBytes: number;
  updateAnswerBytes: number;
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
  await handle.result();
  const history = await handle.fetchHistory();
  const json = JSON.parse(historyToJson(history)) as { events: unknown[] };
  const sizeOf = (type: number) => history.events!
    .map((e, i) => (e.eventType === type ? Buffer.byteLength(JSON.stringify(json.events[i])) : 0))
    .reduce((a, b) => a + b, 0);
  return {
    agencies,
    events: history.events!.length,
    // As the recorder writes a fixture: the JSON without indentation.
    bytes: Buffer.byteLength(JSON.stringify(json)),
    updateRequestBytes: sizeOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
    updateAnswerBytes: sizeOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED),
  };
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
  } finally {
    await s.close();
  }
}

runMain(main);
