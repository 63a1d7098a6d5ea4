import { sleep } from '@temporalio/workflow';
import type { JourneyInput } from '../../workflows/messages';
import { clientJourney as current } from '../../workflows/client-journey';

/**
 * The journey with an unpatched change (a timer first): what a careless edit would ship.
 * journey-replay.test.ts checks that replaying the fixtures against it fails, so that a green
 * replay of the real code means something.
 */
export async function clientJourney(input: JourneyInput): Promise<void> {
  await sleep('1 second');
  return current(input);
}
