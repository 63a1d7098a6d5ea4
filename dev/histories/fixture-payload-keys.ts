import { createHash } from 'node:crypto';

/**
 * The payload key of the replay fixtures (test/fixtures/histories): fixed, so a history recorded
 * once replays in every later run. Only made-up data is ever encrypted with it. Fixtures recorded
 * before the codec are not encrypted and pass through it unchanged.
 */
export const FIXTURE_PAYLOAD_KEYS = `fixture-1:${createHash('sha256').update('glappfri replay fixtures').digest('base64')}`;
