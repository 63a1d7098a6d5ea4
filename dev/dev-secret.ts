import { newDevSecret } from '../config/dev-auth';

/**
 * The run's AUTH_DEV_SECRET. global-setup.ts sets it (jest's workers inherit it); made here
 * when the stacks run without jest (`npm run screenshots`). One per run, so that a token minted
 * by one API opens another over the same stack (test/api/support.ts startApiWithLogs).
 */
export const testDevSecret = (): string => (process.env.AUTH_DEV_SECRET ??= newDevSecret());
