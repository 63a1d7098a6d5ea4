import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { RingKey } from '../config/key-ring';
import { parseMasterKeys } from '../config/master-keys';
import type { Queryable } from './event-store';

/** The case's key is gone: its client was erased, and nothing more may be written about it. */
export class CaseErasedError extends Error {
  override readonly name = 'CaseErasedError';
  constructor(readonly caseId: string) {
    super(`case ${caseId} has been erased`);
  }
}

interface KeyRow {
  case_id: string;
  master_key_id: string;
  wrapped: Buffer | null;
}

/**
 * Each case's own data key, the one erasable secret its texts hang on (crypto-shredding): kept
 * in `case_keys`, wrapped (AES-256-GCM) by the first MASTER_KEYS key; any listed key unwraps, so
 * master keys rotate by putting a new one first and running `npm run keys:rewrap`. Erasing a
 * client deletes its data key, after which the sealed texts in the append-only log are noise.
 */
export class CaseKeys {
  private constructor(private readonly master: readonly RingKey[]) {}

  static of(masterKeys: string | undefined): CaseKeys {
    return new CaseKeys(parseMasterKeys(masterKeys));
  }

  /** MASTER_KEYS of this process (tests, scripts); the API and the worker pass theirs from loadEnv. */
  static fromEnv(): CaseKeys {
    return CaseKeys.of(process.env.MASTER_KEYS);
  }

  /** The case's key for writing, made on first use; refused once the case is erased. */
  async forWriting(db: Queryable, caseId: string): Promise<Buffer> {
    const wrapping = this.master[0]!;
    const fresh = this.wrap(wrapping, randomBytes(32));
    const res = await db.query<KeyRow>(
      `WITH made AS (
         INSERT INTO case_keys (case_id, master_key_id, wrapped) VALUES ($1, $2, $3)
         ON CONFLICT (case_id) DO NOTHING RETURNING case_id, master_key_id, wrapped)
       SELECT * FROM made UNION ALL SELECT case_id, master_key_id, wrapped FROM case_keys WHERE case_id = $1`,
      [caseId, wrapping.id, fresh],
    );
    // A concurrent first use inserted the row after this statement's snapshot was taken (ON
    // CONFLICT then returns nothing and the SELECT cannot see it yet): read it again.
    const row = res.rows[0] ?? (await db.query<KeyRow>('SELECT case_id, master_key_id, wrapped FROM case_keys WHERE case_id = $1', [caseId])).rows[0];
    if (!row) throw new Error(`the key of case ${caseId} could not be made`);
    if (!row.wrapped) throw new CaseErasedError(caseId);
    return this.unwrap(row);
  }

  /** Keys of the given cases for reading; a case erased (or never sealed) is absent from the map. */
  async forReading(db: Queryable, caseIds: readonly string[]): Promise<Map<string, Buffer>> {
    if (caseIds.length === 0) return new Map();
    const res = await db.query<KeyRow>(
      'SELECT case_id, master_key_id, wrapped FROM case_keys WHERE case_id = ANY($1) AND wrapped IS NOT NULL',
      [[...new Set(caseIds)]],
    );
    return new Map(res.rows.map((r) => [r.case_id, this.unwrap(r)]));
  }

  /** Re-wraps every key not wrapped by the first master key; returns how many. Safe to re-run. */
  async rewrap(db: Queryable): Promise<number> {
    const current = this.master[0]!;
    const res = await db.query<KeyRow>(
      'SELECT case_id, master_key_id, wrapped FROM case_keys WHERE wrapped IS NOT NULL AND master_key_id <> $1',
      [current.id],
    );
    for (const row of res.rows) {
      await db.query('UPDATE case_keys SET master_key_id = $2, wrapped = $3 WHERE case_id = $1 AND master_key_id = $4', [
        row.case_id, current.id, this.wrap(current, this.unwrap(row)), row.master_key_id,
      ]);
    }
    return res.rows.length;
  }

  /**
   * Keyed hashes of a personal identity number, one per master key, newest first: stored with
   * the first, looked up with any, so a lookup still finds rows hashed before a rotation.
   */
  lookupHashes(personalIdentityNumber: string): string[] {
    return this.master.map((k) => createHmac('sha256', k.key).update(`personal identity number\0${personalIdentityNumber}`).digest('base64'));
  }

  private wrap(master: RingKey, dataKey: Buffer): Buffer {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', master.key, nonce);
    cipher.setAAD(Buffer.from(master.id));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  private unwrap(row: KeyRow): Buffer {
    const master = this.master.find((k) => k.id === row.master_key_id);
    if (!master) throw new Error(`the key of case ${row.case_id} is wrapped by master key "${row.master_key_id}", which MASTER_KEYS does not hold`);
    const bytes = row.wrapped!;
    const decipher = createDecipheriv('aes-256-gcm', master.key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(master.id));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
  }
}
