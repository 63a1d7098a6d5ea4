/* What a person is told when sign-in through the identity provider fails (tests read them too). */

export const PROVIDER_DOWN =
  'Inloggningstjänsten svarar inte just nu, så det går inte att logga in. Försök igen om en stund; om felet finns kvar, kontakta den som ansvarar för inloggningen.';
export const NOT_STARTED_HERE = 'Inloggningen kunde inte slutföras: den påbörjades inte i den här fliken, eller har redan använts. Logga in igen.';
export const REFUSED = 'Inloggningstjänsten avbröt inloggningen. Logga in igen.';
