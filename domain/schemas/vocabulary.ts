import { z } from 'zod';

/** The words of DOMAIN.md as closed sets: everything that crosses a boundary is one of these. */
export const phaseSchema = z.enum(['hakte', 'anstalt', 'utslussning', 'frigiven', 'avslutad']);
export type Phase = z.infer<typeof phaseSchema>;

export const measureSchema = z.enum(['frigang', 'utokad_frigang', 'halvvagshus', 'vardvistelse']);
export type Measure = z.infer<typeof measureSchema>;

export const areaSchema = z.enum([
  'boende', 'missbruk', 'psykisk_halsa', 'somatisk_halsa', 'sysselsattning', 'forsorjning', 'skulder',
  'utbildning', 'familj', 'natverk', 'kriminella_attityder', 'skydd', 'id_handlingar', 'annat',
]);
export type Area = z.infer<typeof areaSchema>;

export const agencyTypeSchema = z.enum([
  'kriminalvarden', 'frivarden', 'socialtjansten', 'regionen', 'arbetsformedlingen', 'forsakringskassan',
  'kronofogden', 'polisen', 'lansstyrelsen', 'ideell', 'naringsliv',
]);
export type AgencyType = z.infer<typeof agencyTypeSchema>;

export const riskLevelSchema = z.enum(['low', 'medium', 'high']);
export type RiskLevel = z.infer<typeof riskLevelSchema>;

/** `operator`: runs the system (Temporal, databases); decodes Temporal payloads for troubleshooting, sees no case through the API. */
export const roleSchema = z.enum(['coordinator', 'agency', 'supervisor', 'admin', 'operator']);
export type Role = z.infer<typeof roleSchema>;

export const interventionStatusSchema = z.enum([
  'unassigned', 'planned', 'accepted', 'completed', 'declined', 'waived', 'cancelled',
]);
export type InterventionStatus = z.infer<typeof interventionStatusSchema>;

export const followUpStatusSchema = z.enum(['open', 'completed', 'missed', 'cancelled']);
export type FollowUpStatus = z.infer<typeof followUpStatusSchema>;

export const municipalityCodeSchema = z.string().regex(/^\d{4}$/, 'a kommunkod is four digits');

/**
 * The times a case can sensibly hold. Also keeps every date the rules derive (a due date a policy
 * duration before, a follow-up after) inside what JavaScript and PostgreSQL can both represent:
 * `0000-…` or `9999-12-31T23:59-14:00` (year 10000 in UTC) would otherwise fail at the database.
 */
const EARLIEST_INSTANT = Date.UTC(1900, 0, 1);
const LATEST_INSTANT = Date.UTC(2200, 0, 1);

/** Times cross every boundary as ISO 8601 with an offset; normalised to UTC `Z` inside. */
export const instantSchema = z.iso
  .datetime({ offset: true, message: 'an ISO 8601 time with offset, e.g. 2027-03-01T08:00:00Z' })
  .transform((s, ctx) => {
    const ms = Date.parse(s);
    if (!(ms >= EARLIEST_INSTANT && ms < LATEST_INSTANT)) {
      ctx.addIssue({ code: 'custom', message: 'a time between 1900 and 2199' });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });

export const agencyIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" or "-"');
