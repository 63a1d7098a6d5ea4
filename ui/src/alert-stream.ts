import { UNAUTHORIZED_EVENT } from './api';
import { SseParser } from './sse-parser';
import type { Alert } from './types';

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface AlertStreamHandlers {
  /** The stream is open: from here on nothing is missed, so load the backlog now. */
  onOpen(): void;
  onAlert(alert: Alert): void;
  onState(state: StreamState): void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

/**
 * Follows `GET /v1/alerts/stream` with fetch (EventSource cannot send the bearer token) and
 * reconnects after a drop with `Last-Event-ID`, so nothing raised in between is lost. Returns
 * a function that stops it.
 */
export function followAlerts(token: string, handlers: AlertStreamHandlers): () => void {
  const abort = new AbortController();
  const { signal } = abort;
  let lastEventId: string | undefined;
  let retry = 2000;

  void (async () => {
    let first = true;
    while (!signal.aborted) {
      handlers.onState(first ? 'connecting' : 'reconnecting');
      first = false;
      try {
        const res = await fetch('/v1/alerts/stream', {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
          cache: 'no-store',
          signal,
        });
        if (res.status === 401) {
          window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
          break;
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        handlers.onState('open');
        handlers.onOpen();
        const parser = new SseParser();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const ev of parser.push(value)) {
            if (ev.event !== 'alert') continue;
            try {
              handlers.onAlert(JSON.parse(ev.data) as Alert);
            } catch {
              // A malformed event is skipped; the next reload of the list corrects the view.
            }
          }
          lastEventId = parser.lastEventId ?? lastEventId;
          retry = parser.retry ?? retry;
        }
      } catch {
        if (signal.aborted) break;
      }
      if (signal.aborted) break;
      handlers.onState('reconnecting');
      await sleep(retry, signal);
    }
    handlers.onState('closed');
  })();

  return () => abort.abort();
}
