import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';
import { CLIENT, expectNoClientIdentity, openCase, parseMail, setEnv } from './support';

const BASE = 'https://glappfri.example.se';
const SMTP_USER = 'glappfri-mailer';
const SMTP_PASSWORD = 'smtp-password-not-for-logs';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

let s: ApiTestStack;
let smtp: SMTPServer;
let restoreEnv: () => void;
const received: Received[] = [];
const logins: { username?: string; password?: string }[] = [];
let mailFromCalls = 0;

beforeAll(async () => {
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, cb) {
      logins.push({ username: auth.username, password: auth.password ?? undefined });
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onMailFrom(_address, _session, cb) {
      // The first message is turned away once (a temporary failure): it must be retried.
      mailFromCalls += 1;
      if (mailFromCalls === 1) {
        cb(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        return;
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const { port } = smtp.server.address() as AddressInfo;
  restoreEnv = setEnv({
    SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_SECURE: 'false', SMTP_USER, SMTP_PASSWORD,
    SMTP_FROM: 'Glappfri <larm@glappfri.example.se>', PUBLIC_BASE_URL: BASE, DIGEST_INTERVAL: 'off',
  });
  s = await startApiTestStack();
});
afterAll(async () => {
  await s?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  restoreEnv?.();
});

test('alerts reach the subscribed address by SMTP, retried after a temporary refusal, without the client\'s identity', async () => {
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  const put = await s.call('PUT', '/v1/agencies/sot-1480/subscriptions', {
    token: admin, body: { emails: [{ address: 'enhetschef@sot.example.se', levels: [1] }] },
  });
  expect(put.status).toBe(200);
  const { caseId, coordinator } = await openCase(s, { dueInSeconds: 3, key: 'email' });
  // An intervention whose title, typed by a person, names the client.
  const added = await s.call('POST', `/v1/cases/${caseId}/interventions`, {
    token: coordinator,
    headers: { 'idempotency-key': 'email-add' },
    body: { area: 'missbruk', title: `Behandling för ${CLIENT.name}`, agencyId: 'sot-1480', requiredBeforeRelease: true, dueAt: new Date(Date.now() + 4000).toISOString() },
  });
  expect(added.status).toBe(201);

  await eventually(async () => {
    const r = await s.pool.query(`SELECT status FROM deliveries WHERE case_id = $1`, [caseId]);
    expect(r.rows).toEqual([{ status: 'delivered' }, { status: 'delivered' }]);
  }, 40_000, 200);
  expect(received).toHaveLength(2);
  expect(logins.length).toBeGreaterThanOrEqual(2);
  expect(logins.every((l) => l.username === SMTP_USER && l.password === SMTP_PASSWORD)).toBe(true);

  const alerts = await s.pool.query(`SELECT alert_id, message FROM alerts WHERE case_id = $1 AND agency_id = 'sot-1480' ORDER BY alert_id`, [caseId]);
  expect(alerts.rows).toHaveLength(2);
  // The alert itself (for signed-in supervisors) quotes the title; the e-mail must not.
  expect(alerts.rows.some((a: { message: string }) => a.message.includes(CLIENT.name))).toBe(true);

  const rows = await s.pool.query(`SELECT delivery_id, attempts, last_error, subject FROM deliveries WHERE case_id = $1 ORDER BY delivery_id`, [caseId]);
  const messages = new Map<string, string>();
  for (const mail of received) {
    expect(mail.from).toBe('larm@glappfri.example.se');
    expect(mail.to).toEqual(['enhetschef@sot.example.se']);
    expect(mail.raw).not.toContain('Hemligsson');
    const { headers, text } = parseMail(mail.raw);
    expectNoClientIdentity(text);
    expectNoClientIdentity(JSON.stringify(headers));
    expect(headers.subject).toBe('Glappfri: larm nivå 1 – Insats inte klar i tid');
    const id = headers['x-glappfri-delivery-id']!;
    expect(rows.rows.map((r: { delivery_id: string }) => r.delivery_id)).toContain(id);
    expect(headers['message-id']).toBe(`<${id}@glappfri.example.se>`);
    expect(text).toContain(`Ärende: ${caseId}`);
    expect(text).toContain(`Öppna ärendet: ${BASE}/arenden/${caseId}`);
    expect(text).toMatch(/Gäller från: \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(svensk tid\)/);
    expect(text).toContain(`Leverans-id: ${id}`);
    messages.set(rows.rows.find((r: { delivery_id: string }) => r.delivery_id === id)!.subject, text);
  }
  const [plain, named] = alerts.rows as { alert_id: string; message: string }[];
  const namedAlert = plain!.message.includes(CLIENT.name) ? plain! : named!;
  const plainAlert = namedAlert === plain ? named! : plain!;
  expect(messages.get(plainAlert.alert_id)).toContain(plainAlert.message);
  expect(messages.get(namedAlert.alert_id)).toContain('En insats är inte klar i tid.');

  // One of the two was refused once and sent on the second attempt; no credentials in the record.
  expect(rows.rows.map((r: { attempts: number }) => r.attempts).sort()).toEqual([1, 2]);
  const retried = rows.rows.find((r: { attempts: number }) => r.attempts === 2)!;
  expect(retried.last_error).toMatch(/^SMTP .*451/);
  expect(retried.last_error).not.toContain(SMTP_PASSWORD);
  expect(retried.last_error).not.toContain(SMTP_USER);
});
