import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { DeliveryActivities } from '../activities/types';
import { sendWithRetries } from './delivery';

const planning = proxyActivities<DeliveryActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/**
 * Started by the digest Schedule (activities/delivery/schedule.ts): to every subscribed channel
 * of every agency with unresolved alerts, one digest of them. The run's workflow id (the
 * schedule's id plus the scheduled time) keys the deliveries, so a run sends each digest once.
 */
export async function dailyDigest(): Promise<{ deliveries: number; delivered: number }> {
  const ids = await planning.planDigests({ runKey: workflowInfo().workflowId, at: new Date().toISOString() });
  const outcomes = await Promise.all(ids.map((id) => sendWithRetries(id)));
  return { deliveries: ids.length, delivered: outcomes.filter((o) => o === 'delivered').length };
}
