/* What a Swedish reader sees: dates in Europe/Stockholm, `2027-03-01`. */

const date = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

export const swedishDate = (at: string | number | Date): string => date.format(new Date(at));

/** The Swedish calendar date `days` from now, as a date input takes it. */
export const swedishDatePlus = (days: number): string => swedishDate(Date.now() + days * 86_400_000);
