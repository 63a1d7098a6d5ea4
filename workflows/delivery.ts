import { proxyActivities } from '@temporalio/workflow';
import type { DeliveryActivities, DeliveryOutcome } from '../activities/types';

/**
 * Each delivery (one notification or digest to one webhook or address) is its own activity
 * with its own retries, so a slow or failing receiver holds up nobody else.
 * 1 s, 2 s, 4 s … at most 5 minutes apart, 20 attempts (about an hour) in all.
 */
const sending = proxyActivities<DeliveryActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 20 },
});
const bookkeeping = proxyActivities<DeliveryActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Sends with retries; when they are exhausted the delivery is recorded as failed. */
export async function sendWithRetries(deliveryId: string): Promise<DeliveryOutcome> {
  try {
    return await sending.sendDelivery(deliveryId);
  } catch {
    await bookkeeping.giveUpDelivery(deliveryId);
    return 'failed';
  }
}

/**
 * One alert or reminder to one channel, started by the `deliverNotifications` activity with the
 * delivery id as workflow id, so the same delivery is never started twice.
 */
export async function deliverToChannel(input: { deliveryId: string }): Promise<DeliveryOutcome> {
  return sendWithRetries(input.deliveryId);
}
