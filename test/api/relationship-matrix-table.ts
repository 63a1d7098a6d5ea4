/**
 * Issue 14's access model as a table: for every route that touches a case, the status each role
 * gets at an agency in each relation to the case (domain/access.ts). relationship-matrix.test.ts
 * asserts every cell against the real stack; the README prints matrixMarkdown().
 */
export const RELATIONS = ['coordinating', 'holder', 'successor', 'consented', 'unrelated', 'withdrawn'] as const;
export type Relation = (typeof RELATIONS)[number];
export const ROLES = ['coordinator', 'supervisor', 'agency', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Status per relation, in RELATIONS order. For lists: `in` (the case is listed), `out` (it is
 * not), or the status of a refused call.
 */
export const MATRIX: Record<string, Record<Role, string>> = {
  //                                                  coordinating holder successor consented unrelated withdrawn
  'GET /v1/cases/{caseId}':                            { coordinator: '200 200 200 404 404 404', supervisor: '200 200 200 200 404 404', agency: '404 200 200 200 404 404', admin: '403 403 403 403 403 403' },
  'GET /v1/cases/{caseId}/events':                     { coordinator: '200 200 200 404 404 404', supervisor: '200 200 200 200 404 404', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'GET /v1/cases/{caseId}/access-log':                 { coordinator: '200 403 403 404 404 404', supervisor: '200 403 403 403 404 404', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'GET /v1/cases/{caseId}/export':                     { coordinator: '200 403 403 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'DELETE /v1/cases/{caseId}':                         { coordinator: '204 403 403 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'GET /v1/cases':                                     { coordinator: 'in in in out out out',    supervisor: 'in in in in out out',     agency: 'out in in in out out',    admin: '403 403 403 403 403 403' },
  'GET /v1/tasks':                                     { coordinator: '403 403 403 403 403 403', supervisor: 'out in out in out out',   agency: 'out in out in out out',   admin: '403 403 403 403 403 403' },
  'GET /v1/alerts':                                    { coordinator: '403 403 403 403 403 403', supervisor: 'in in out in out out',    agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'POST /v1/cases/{caseId}/transitions':               { coordinator: '200 200 200 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'PUT /v1/cases/{caseId}/release-date':               { coordinator: '200 200 200 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'PUT /v1/cases/{caseId}/sentence':                   { coordinator: '200 200 200 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'PUT /v1/cases/{caseId}/needs':                      { coordinator: '200 200 200 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'PUT /v1/cases/{caseId}/risk-level':                 { coordinator: '200 200 200 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'PUT /v1/cases/{caseId}/consent':                    { coordinator: '200 200 200 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'PUT /v1/cases/{caseId}/responsibility':             { coordinator: '200 200 200 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'PUT /v1/cases/{caseId}/client-view':                { coordinator: '200 200 200 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'POST /v1/cases/{caseId}/meetings':                  { coordinator: '201 201 201 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'POST /v1/cases/{caseId}/plan/adopt':                { coordinator: '200 200 200 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'POST /v1/cases/{caseId}/interventions':             { coordinator: '201 201 201 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'POST /v1/cases/{caseId}/interventions/{own}/accept':   { coordinator: '403 403 403 403 403 403', supervisor: '403 403 403 403 403 403', agency: '404 200 404 200 404 404', admin: '403 403 403 403 403 403' },
  'POST /v1/cases/{caseId}/interventions/{own}/complete': { coordinator: '403 403 403 403 403 403', supervisor: '403 403 403 403 403 403', agency: '404 200 404 200 404 404', admin: '403 403 403 403 403 403' },
  'POST /v1/cases/{caseId}/interventions/{own}/decline':  { coordinator: '200 200 200 404 404 404', supervisor: '403 403 403 403 403 403', agency: '404 200 404 200 404 404', admin: '403 403 403 403 403 403' },
  'POST /v1/cases/{caseId}/interventions/i1/waive':    { coordinator: '200 200 200 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'POST /v1/cases/{caseId}/interventions/i1/reassign': { coordinator: '200 200 200 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'POST /v1/cases/{caseId}/follow-ups/f1/complete':    { coordinator: '403 403 403 403 403 403', supervisor: '403 403 403 403 403 403', agency: '404 404 200 404 404 404', admin: '403 403 403 403 403 403' },
  'POST /v1/cases/{caseId}/transfer':                  { coordinator: '200 403 403 404 404 404', supervisor: '403 403 403 403 403 403', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
  'POST /v1/alerts/{own}/acknowledge':                 { coordinator: '403 403 403 403 403 403', supervisor: '200 200 404 200 404 404', agency: '403 403 403 403 403 403', admin: '403 403 403 403 403 403' },
};

const RELATION_TEXT: Record<Relation, string> = {
  coordinating: 'coordinating agency', holder: 'holds responsibility', successor: 'takes over', consented: 'consent only',
  unrelated: 'unrelated', withdrawn: 'consent withdrawn',
};

/** The matrix as a Markdown table: one row per route and role, one column per relation. */
export function matrixMarkdown(): string {
  const head = `| route | role | ${RELATIONS.map((r) => RELATION_TEXT[r]).join(' | ')} |`;
  const rule = `| --- | --- | ${RELATIONS.map(() => '---').join(' | ')} |`;
  const rows = Object.entries(MATRIX).flatMap(([route, byRole]) =>
    ROLES.map((role) => `| \`${route}\` | ${role} | ${byRole[role].trim().split(/\s+/).join(' | ')} |`));
  return [head, rule, ...rows].join('\n');
}
