import { municipalityText } from '../../domain/municipalities';

/*
 * How a client is told apart from another of the same name: the birth date and where they
 * live, by name. The birth date comes as a calendar date (YYYY-MM-DD) and is shown as it is.
 */

/** `född 1985-01-01 · Kommun Göteborg (1480)`; only what is known. */
export function clientFacts(c: { birthDate?: string | undefined; municipality: string }): string {
  return [c.birthDate ? `född ${c.birthDate}` : '', `Kommun ${municipalityText(c.municipality)}`].filter(Boolean).join(' · ');
}

export { municipalityText };
