import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { ApiTestStack } from '../../dev/api-stack';

/** Sets environment variables for the stack a test starts; returns the undo. */
export function setEnv(vars: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** The delivery ids answered with 2xx, in order (a repeat would show up twice). */
  accepted(): string[];
  close(): Promise<void>;
}

/** A receiver on 127.0.0.1 that answers 500 to the first `failFirst` attempts of every delivery id. */
export async function startWebhookReceiver(opts: { failFirst?: number } = {}): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['x-glappfri-delivery-id'] ?? '');
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      const status = n <= (opts.failFirst ?? 0) ? 500 : 204;
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status, at: Date.now() });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/glappfri`,
    requests,
    accepted: () => requests.filter((r) => r.status < 300).map((r) => String(r.headers['x-glappfri-delivery-id'])),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The documented algorithm, written out independently of the implementation. */
export function signatureIsValid(secret: string, r: ReceivedRequest, toleranceSeconds = 300): boolean {
  const timestamp = String(r.headers['x-glappfri-timestamp'] ?? '');
  const signature = String(r.headers['x-glappfri-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')}`;
  return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

export const CLIENT = { name: 'Märta Hemligsson', personalIdentityNumber: '198501011236' };

/**
 * Publishes a policy in seconds and opens a case whose housing intervention (socialtjänsten,
 * sot-1480) falls due in `dueInSeconds`; a reminder `reminderBefore` earlier if given.
 */
export async function openCase(s: ApiTestStack, opts: { dueInSeconds: number; reminderBefore?: string; key: string }) {
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  const coordinator = await s.token({ sub: 'anna', role: 'coordinator', agencyId: 'kvv-gbg' });
  const policyId = `fast-${opts.key}`;
  const policy = await s.call('PUT', `/v1/policies/${policyId}`, {
    token: admin,
    body: {
      requirements: [{ area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'PT20S', title: 'Bostad ordnad' }],
      reminders: opts.reminderBefore ? [opts.reminderBefore] : [], escalation: { level2After: 'PT1H' },
      followUps: { high: ['P1D'], medium: ['P7D'], low: ['P30D'] },
    },
  });
  expect(policy.status).toBe(200);
  const opened = await s.call('POST', '/v1/cases', {
    token: coordinator,
    headers: { 'idempotency-key': `open-${opts.key}` },
    body: {
      client: { ...CLIENT, municipality: '1480' }, phase: 'anstalt', admittedAt: new Date(Date.now() - 86_400_000).toISOString(),
      expectedReleaseAt: new Date(Date.now() + (20 + opts.dueInSeconds) * 1000).toISOString(), riskLevel: 'medium', needs: ['boende'],
      consent: { agencyIds: ['sot-1480', 'af'] }, policyId,
      // The same test client in several cases of a file: said explicitly, as a coordinator would.
      allowSecondCase: true,
    },
  });
  expect(opened.status).toBe(201);
  return { caseId: opened.body.caseId as string, coordinator, admin };
}

/** The text must not identify the client. */
export function expectNoClientIdentity(text: string): void {
  for (const part of CLIENT.name.split(' ')) expect(text.toLowerCase()).not.toContain(part.toLowerCase());
  const pin = CLIENT.personalIdentityNumber;
  for (const form of [pin, pin.slice(2), `${pin.slice(0, 8)}-${pin.slice(8)}`, `${pin.slice(2, 8)}-${pin.slice(8)}`]) expect(text).not.toContain(form);
}

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** A minimal EventSource over fetch: events as they come, until `close()`. */
export function openEventStream(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const events: SseEvent[] = [];
  let status = 0;
  const done = (async () => {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    status = res.status;
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const e: SseEvent = { data: '' };
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line === '' || line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') e.id = val;
          else if (field === 'event') e.event = val;
          else if (field === 'data') data.push(val);
        }
        e.data = data.join('\n');
        if (data.length > 0) events.push(e);
      }
    }
  })().catch((err: Error) => {
    if (err.name !== 'AbortError') throw err;
  });
  return {
    events,
    status: () => status,
    /** Settles when the response ends (the server closed it, or {@link close}). */
    ended: done,
    async close() {
      controller.abort();
      await done;
    },
  };
}

/** Headers (unfolded) and the decoded text body of a simple nodemailer text message. */
export function parseMail(raw: string): { headers: Record<string, string>; text: string } {
  const cut = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw.slice(0, cut).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  const body = raw.slice(cut + 4);
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let text: string;
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => `%${h}`);
    text = decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
  } else if (encoding === 'base64') {
    text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  } else {
    text = body;
  }
  return { headers, text: text.replace(/\r\n/g, '\n') };
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=). */
function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*(?==\?)?/gi, (_, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

export interface ReceivedMail {
  to: string[];
  raw: string;
  headers: Record<string, string>;
  text: string;
  at: number;
}

/** An SMTP server on 127.0.0.1 (no TLS, no login) that keeps every message it is given. */
export async function startSmtpSink(): Promise<{ port: number; received: ReceivedMail[]; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, ...parseMail(raw), at: Date.now() });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
