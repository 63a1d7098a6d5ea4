import type { Page } from 'playwright-core';

export interface DevIdentity {
  /** The role as the sign-in page names it (`Samordnare`, `Handläggare på myndighet`, `Enhetschef`). */
  role: string;
  /** The agency's name as the directory has it; none for an administrator. */
  agency?: string;
  name: string;
}

/** Signs in through the development sign-in form, as a person would, and waits for the home page. */
export async function signIn(page: Page, who: DevIdentity): Promise<void> {
  await page.goto('/');
  const form = page.locator('section', { has: page.getByRole('heading', { name: 'Logga in i utvecklingsläge' }) });
  await form.getByRole('radio', { name: who.role, exact: true }).check();
  if (who.agency) await form.getByRole('combobox', { name: 'Myndighet' }).selectOption({ label: who.agency });
  await form.getByLabel('Ditt namn').fill(who.name);
  await form.getByRole('button', { name: 'Logga in', exact: true }).click();
  await page.getByRole('button', { name: 'Logga ut' }).waitFor();
}
