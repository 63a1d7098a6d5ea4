import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { caseWorkflowId } from '../../workflows/messages';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { launchBrowser } from '../../dev/ui/browser';
import { LogCapture, openCase, settle, startApiWithLogs, type ExtraApi } from './support';

/**
 * Issue 15, part 1: the Temporal Web UI decodes payloads for operators through the API's codec
 * endpoint, from its own origin. It cannot send this API's tokens; an operator starts a codec
 * session (an HttpOnly cookie) and the UI, with "include cross-origin credentials" on, calls
 * `/codec/decode` as it does: POST, JSON, `X-Namespace`, `credentials: 'include'`. Played here
 * in Chromium from a page on an allowed origin (standing in for the Web UI) and from another.
 */
let s: ApiTestStack;
let api: ExtraApi;
let browser: Browser;
const pages: Server[] = [];
let allowed: string;
let other: string;

async function blankPage(): Promise<string> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Temporal</title>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pages.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  s = await startApiTestStack();
  [allowed, other] = [await blankPage(), await blankPage()];
  api = await startApiWithLogs(s, new LogCapture(), 'silent', { CODEC_CORS_ORIGINS: allowed });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await api?.close();
  for (const p of pages) await new Promise((resolve) => p.close(resolve));
  await s?.close();
});

const TEXT = 'Vill bo hos sin moster i Lerum';

test('an operator with a codec session decodes from the Web UI origin; without one, or from elsewhere, nothing is decoded', async () => {
  const coordinator = await s.token({ sub: 'anna-ui-codec', role: 'coordinator', agencyId: 'kvv-gbg' });
  const c = await openCase({ call: api.call, pool: s.pool }, coordinator, { clientView: TEXT });
  await settle(s.pool, c.caseId);
  const history = await s.client.connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: caseWorkflowId(c.caseId) } });
  const start = history.history!.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
  const update = history.history!.events!.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)!.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads!;
  const body = JSON.stringify({
    payloads: [...start, ...update].map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    })),
  });
  expect(body).not.toContain(Buffer.from(TEXT).toString('base64'));
  const operator = await s.token({ sub: 'ops-ui', role: 'operator' });
  const coordinatorToken = coordinator;

  /** What the Web UI's data encoder does, run in a page of `origin`. */
  const decodeFrom = async (origin: string, session?: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(origin);
    return page.evaluate(async ({ url, body, session }) => {
      try {
        if (session) {
          const r = await fetch(`${url}/codec/session`, { method: 'POST', headers: { authorization: `Bearer ${session}` }, credentials: 'include' });
          if (r.status !== 204) return { session: r.status };
        }
        const r = await fetch(`${url}/codec/decode`, {
          method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json', 'x-namespace': 'default' }, body,
        });
        const json = await r.json() as { payloads?: { data: string }[] };
        return { status: r.status, texts: (json.payloads ?? []).map((p) => atob(p.data)) };
      } catch (err) {
        return { error: String(err) };
      }
    }, { url: api.url, body, session }).finally(() => context.close().catch(() => undefined));
  };

  const decoded = await decodeFrom(allowed, operator);
  expect(decoded.status).toBe(200);
  expect(decoded.texts!.join('\n')).toContain(TEXT);
  // No session: 401, and the UI shows the ciphertext.
  expect(await decodeFrom(allowed)).toEqual({ status: 401, texts: [] });
  // A session for another role is refused at once.
  expect(await decodeFrom(allowed, coordinatorToken)).toEqual({ session: 403 });
  // Another origin may not read the answer at all (CORS), session or not.
  expect((await decodeFrom(other, operator)).error).toMatch(/Failed to fetch/);

  const logged = await s.pool.query(`SELECT count(*)::int AS n FROM audit_reads WHERE user_id = 'ops-ui' AND what = 'codec-decode'`);
  expect(logged.rows[0].n).toBe(1);
}, 60_000);
