/** Why a command was refused; the edge maps each kind to one HTTP status. */
export type RejectionKind = 'invalid_input' | 'invalid_transition' | 'forbidden' | 'not_found' | 'conflict';

export interface Rejection {
  kind: RejectionKind;
  message: string;
  /** The offending field of the request body, when there is one. */
  path?: string;
}

export const reject = (kind: RejectionKind, message: string, path?: string): Rejection =>
  path ? { kind, message, path } : { kind, message };
