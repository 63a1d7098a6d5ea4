import type { Requirement } from './schemas/policy';
import type { Area, RiskLevel } from './schemas/vocabulary';

// Without zod on purpose: the workflow loads this module (see workflows/legacy-command-schema.ts).

const riskRank: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

/** Whether a policy requirement applies to a client with these needs and this risk level. */
export function requirementApplies(req: Requirement, needs: readonly Area[], risk: RiskLevel): boolean {
  if (req.appliesWhen === 'always') return true;
  if (req.appliesWhen === 'need') return needs.includes(req.area);
  return riskRank[risk] >= riskRank[req.appliesWhen.minRisk];
}
