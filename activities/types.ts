import type { Actor } from '../domain/schemas/actor';
import type { DomainEvent } from '../domain/schemas/events';

export interface AppendRequest {
  caseId: string;
  /** The case's version before these events; the log rejects anything else. */
  expectedVersion: number;
  events: DomainEvent[];
  requestId?: string;
  workflowRunId: string;
}

export interface Notification {
  kind: 'alert' | 'reminder';
  caseId: string;
  agencyId: string;
  /** Alert id or reminder id: receivers deduplicate on it. */
  id: string;
  level?: number;
  alertKind?: string;
  dueAt?: string;
  message: string;
}

/** The events the log holds beyond a version: what a workflow that fell behind its log applies. */
export interface EventsAfter {
  events: DomainEvent[];
  /** The requests those events recorded (Idempotency-Key ids): applied already, answered as such. */
  requestIds: string[];
}

export interface JourneyActivities {
  appendEvents(req: AppendRequest): Promise<{ version: number; duplicate: boolean }>;
  /** The case's events after `afterVersion`, in order, texts opened. */
  eventsAfter(req: { caseId: string; afterVersion: number }): Promise<EventsAfter>;
  deliverNotifications(batch: Notification[]): Promise<void>;
}
export type { Actor };

/** How one delivery (a notification or digest to one channel) ended. */
export type DeliveryOutcome = 'delivered' | 'failed' | 'cancelled';

/** Alert delivery (activities/delivery): each delivery to each channel is its own activity. */
export interface DeliveryActivities {
  /** One attempt to send a recorded delivery; throws so that Temporal retries it. */
  sendDelivery(deliveryId: string): Promise<DeliveryOutcome>;
  /** Retries exhausted: the delivery is recorded as failed. */
  giveUpDelivery(deliveryId: string): Promise<void>;
  /** Records this digest run's deliveries (one per subscribed channel with open alerts) and returns their ids. */
  planDigests(run: { runKey: string; at: string }): Promise<string[]>;
}
