import { ApiError } from './api';

/* What the Simulering page says when POST /v1/simulations refuses or fails, in plain Swedish. */

export type SimulationField = 'policy' | 'compare' | 'releases' | 'seed' | 'custom';

/** The *Jämför med* choice of a policy pasted in rather than published. */
export const CUSTOM_POLICY = '__egen__';

export const MAX_RELEASES = 20_000;
export const MAX_SEED = 2_147_483_647;

/** The Swedish text for a field the API (or the form) found wrong. */
export const FIELD_MESSAGES: Record<SimulationField, string> = {
  policy: 'Välj en publicerad policy.',
  compare: 'Välj en annan publicerad policy att jämföra med, eller ingen.',
  releases: 'Ange antalet frigivningar som ett heltal från 1 till 20 000.',
  seed: 'Ange slumpfröet som ett heltal från 0 till 2 147 483 647.',
  custom: 'Den egna policyn är inte giltig.',
};

const STATUS: Record<number, string> = {
  400: 'Simuleringen kunde inte köras: uppgifterna är inte giltiga. Rätta de markerade fälten.',
  403: 'Din roll får inte köra simuleringar. Simulering är öppen för administratörer och enhetschefer.',
  404: 'Policyn finns inte längre. Välj en annan och kör igen.',
  503: 'Simuleringen kunde inte köras just nu: en annan simulering pågår, eller så tog den längre tid än tillåtet. Försök igen om en stund, gärna med färre frigivningar.',
};

/** The message over the form, and the fields to mark. */
export function simulationFailure(err: unknown): { message: string; fields: Partial<Record<SimulationField, string>> } {
  if (!(err instanceof ApiError)) return { message: 'Simuleringen kunde inte köras. Försök igen.', fields: {} };
  const fields: Partial<Record<SimulationField, string>> = {};
  for (const e of err.fieldErrors) {
    const [head, ...rest] = e.path.split('.');
    // A pasted policy refused inside its body: say where, in the policy's own terms.
    if (head === 'compare' && rest.length > 0) {
      fields.custom ??= `${FIELD_MESSAGES.custom} Fel vid ${rest.join('.')}: ${e.message}`;
      continue;
    }
    const f = head as SimulationField;
    if (f in FIELD_MESSAGES) fields[f] = FIELD_MESSAGES[f];
  }
  return { message: STATUS[err.status] ?? err.message, fields };
}

/** An integer typed in a field (spaces, as in "6 731", allowed), or null. */
export function parseCount(text: string, min: number, max: number): number | null {
  const t = text.replace(/[\s\u00a0]/g, '');
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
}
