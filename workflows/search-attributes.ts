import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * What operators may filter cases by in the Temporal UI. Deliberately nothing that names or
 * identifies the client: search attributes are visible to anyone with namespace access.
 */
export const phaseKey = defineSearchAttributeKey('JourneyPhase', 'KEYWORD');
export const expectedReleaseKey = defineSearchAttributeKey('JourneyExpectedRelease', 'DATETIME');
export const openGapCountKey = defineSearchAttributeKey('JourneyOpenGaps', 'INT');
export const policyIdKey = defineSearchAttributeKey('JourneyPolicyId', 'KEYWORD');

/**
 * Every attribute the workflow sets: worker/temporal-setup.ts creates them in the namespace
 * through Temporal's operator API, the same on every cluster (no server start flags needed).
 */
export const PROJECT_SEARCH_ATTRIBUTES = [phaseKey, expectedReleaseKey, openGapCountKey, policyIdKey];
