import type { Role } from '../../domain/schemas/vocabulary';

/**
 * The local identity provider's people: invented, one or more per role, at the agencies of the
 * README's walk-through and the tests' directory (dev/fixtures.ts). The login name is
 * the account id; any password is accepted (oidc-provider's development login page).
 */
export interface LocalUser {
  login: string;
  name: string;
  /** Absent: a person the provider knows but who has no role in Glappfri (the refusal path). */
  role?: Role;
  agencyId?: string;
}

export const LOCAL_USERS: readonly LocalUser[] = [
  { login: 'samordnare', name: 'Anna Andersson', role: 'coordinator', agencyId: 'kvv-gbg' },
  { login: 'socialtjansten', name: 'Sven Svensson', role: 'agency', agencyId: 'sot-1480' },
  { login: 'arbetsformedlingen', name: 'Aisha Ali', role: 'agency', agencyId: 'af' },
  { login: 'regionen', name: 'Rut Rask', role: 'agency', agencyId: 'reg-vg' },
  { login: 'frivarden', name: 'Frida Fors', role: 'agency', agencyId: 'frv-gbg' },
  { login: 'enhetschef', name: 'Sara Sund', role: 'supervisor', agencyId: 'sot-1480' },
  { login: 'admin', name: 'Ada Admin', role: 'admin' },
  { login: 'drift', name: 'Otto Drift', role: 'operator' },
  { login: 'utan-roll', name: 'Ulla Utan' },
];

export const localUser = (login: string): LocalUser | undefined => LOCAL_USERS.find((u) => u.login === login);
