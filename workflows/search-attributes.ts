import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * What operators may filter cases by in the Temporal UI. Deliberately nothing that names or
 * identifies the client: search attributes are visible to anyone with namespace access.
 */
export const phaseKey = defineSearchAttributeKey('JourneyPhase', 'KEYWORD');
export const expectedReleaseKey = defineSearchAttributeKey('JourneyExpectedRelease', 'DATETIME');
export const openGapCountKey = defineSearchAttributeKey('JourneyOpenGaps', 'INT');
export const policyIdKey = defineSearchAttributeKey('JourneyPolicyId', 'KEYWORD');

/** `--search-attribute` flags for the dev server, which must know the keys before use. */
export const devServerSearchAttributeFlags = [
  `${phaseKey.name}=Keyword`,
  `${expectedReleaseKey.name}=Datetime`,
  `${openGapCountKey.name}=Int`,
  `${policyIdKey.name}=Keyword`,
].flatMap((s) => ['--search-attribute', s]);
