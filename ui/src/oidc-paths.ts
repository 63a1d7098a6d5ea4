/**
 * Where the provider sends the browser back to: registered at the provider as the web
 * interface's redirect URI and post-logout redirect URI (`<origin><path>`), so kept in one place
 * that the local identity provider (scripts/local-idp) reads too.
 */
export const OIDC_CALLBACK_PATH = '/logga-in/retur';
export const SIGNED_OUT_PATH = '/logga-in';
