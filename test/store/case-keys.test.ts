import { newKeyRing } from '../../config/key-ring';
import { CaseErasedError, CaseKeys } from '../../store/case-keys';
import { openData, sealData } from '../../store/sealed-events';
import { openText, sealText, textKey } from '../../store/sealed-text';
import { ERASED_TEXT } from '../../domain/free-text';
import { createTestDatabase } from '../../dev/database';

/** Each case's data key: wrapped by the master keys, rotated without downtime, shredded at erasure. */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
});
afterAll(async () => {
  await db?.drop();
});

const oldRing = newKeyRing('m-old');
const newRing = newKeyRing('m-new');

test('texts seal deterministically per case and field, and open only with that case key and field', () => {
  const a = textKey(Buffer.alloc(32, 1));
  const b = textKey(Buffer.alloc(32, 2));
  const sealed = sealText(a, 'note', 'Bor hos sin bror');
  expect(sealed).not.toContain('Bor');
  expect(sealText(a, 'note', 'Bor hos sin bror')).toBe(sealed); // a retried append is recognised
  expect(sealText(a, 'reason', 'Bor hos sin bror')).not.toBe(sealed);
  expect(sealText(a, 'note', 'Bor hos sin syster')).not.toBe(sealed);
  expect(openText(a, 'note', sealed)).toBe('Bor hos sin bror');
  expect(() => openText(b, 'note', sealed)).toThrow();
  expect(() => openText(a, 'reason', sealed)).toThrow();
  const flipped = Buffer.from(sealed, 'base64');
  flipped[14]! ^= 1;
  expect(() => openText(a, 'note', flipped.toString('base64'))).toThrow();
});

test("an event's free-text fields are sealed, its skeleton not; without the key the texts read as erased", () => {
  const key = Buffer.alloc(32, 7);
  const data = { interventionId: 'i1', reason: 'Vill inte' };
  const sealed = sealData(key, 'InterventionDeclined', data) as typeof data;
  expect(sealed.interventionId).toBe('i1');
  expect(sealed.reason).not.toBe('Vill inte');
  expect(openData(key, 'InterventionDeclined', sealed)).toEqual(data);
  expect(openData(undefined, 'InterventionDeclined', sealed)).toEqual({ interventionId: 'i1', reason: ERASED_TEXT });
  expect(sealData(key, 'PlanAdopted', { at: '2026-01-01T00:00:00Z' })).toEqual({ at: '2026-01-01T00:00:00Z' });
});

test('a master key rotates: the old one still unwraps, rewrap moves every key to the new one, then the old can go', async () => {
  const before = CaseKeys.of(oldRing);
  const k1 = await before.forWriting(db.pool, 'case-rot-1');
  expect(await before.forWriting(db.pool, 'case-rot-1')).toEqual(k1); // made once
  const rotated = CaseKeys.of(`${newRing},${oldRing}`);
  expect((await rotated.forReading(db.pool, ['case-rot-1'])).get('case-rot-1')).toEqual(k1);
  const k2 = await rotated.forWriting(db.pool, 'case-rot-2');
  const wrappedBy = async () => (await db.pool.query('SELECT case_id, master_key_id FROM case_keys ORDER BY case_id')).rows;
  expect(await wrappedBy()).toEqual([{ case_id: 'case-rot-1', master_key_id: 'm-old' }, { case_id: 'case-rot-2', master_key_id: 'm-new' }]);
  // The new key alone cannot unwrap what the old one wrapped, until rewrap.
  await expect(CaseKeys.of(newRing).forReading(db.pool, ['case-rot-1'])).rejects.toThrow(/m-old/);
  expect(await rotated.rewrap(db.pool)).toBe(1);
  expect(await rotated.rewrap(db.pool)).toBe(0);
  const after = CaseKeys.of(newRing);
  const keys = await after.forReading(db.pool, ['case-rot-1', 'case-rot-2']);
  expect(keys.get('case-rot-1')).toEqual(k1);
  expect(keys.get('case-rot-2')).toEqual(k2);
  // The raw row holds neither key.
  const raw = (await db.pool.query<{ wrapped: Buffer }>('SELECT wrapped FROM case_keys')).rows.map((r) => r.wrapped.toString('hex')).join();
  expect(raw).not.toContain(k1.toString('hex'));
});

test('first uses racing each other all get the same key, none is taken for an erased case', async () => {
  const keys = CaseKeys.of(oldRing);
  const got = await Promise.all(Array.from({ length: 20 }, () => keys.forWriting(db.pool, 'case-race')));
  expect(new Set(got.map((k) => k.toString('hex'))).size).toBe(1);
});

test('a shredded key is gone for reading and refuses writing', async () => {
  const keys = CaseKeys.of(oldRing);
  await keys.forWriting(db.pool, 'case-shred');
  await db.pool.query('UPDATE case_keys SET wrapped = NULL, erased_at = now() WHERE case_id = $1', ['case-shred']);
  expect((await keys.forReading(db.pool, ['case-shred'])).has('case-shred')).toBe(false);
  await expect(keys.forWriting(db.pool, 'case-shred')).rejects.toBeInstanceOf(CaseErasedError);
});

test('the lookup hash of a personal identity number is keyed, and found with any listed master key', () => {
  const a = CaseKeys.of(oldRing).lookupHashes('197903124820');
  const rotated = CaseKeys.of(`${newRing},${oldRing}`).lookupHashes('197903124820');
  expect(rotated).toContain(a[0]);
  expect(CaseKeys.of(newKeyRing('other')).lookupHashes('197903124820')).not.toContain(a[0]);
});
