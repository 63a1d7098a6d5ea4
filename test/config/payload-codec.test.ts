import { METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { decode, encode } from '@temporalio/common/lib/encoding';
import { ENCRYPTED_ENCODING, EncryptionCodec, KEY_ID_METADATA } from '../../config/payload-codec';
import { newPayloadKeys, parsePayloadKeys } from '../../config/payload-keys';

const json = (value: unknown): Payload => ({ metadata: { [METADATA_ENCODING_KEY]: encode('json/plain') }, data: encode(JSON.stringify(value)) });
const text = (p: Payload) => decode(p.data!);

describe('EncryptionCodec (AES-256-GCM)', () => {
  const k1 = newPayloadKeys('k1');
  const k2 = newPayloadKeys('k2');

  test('round-trips, names the key, hides the text, and never repeats a ciphertext', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(k1));
    const original = json({ note: 'Hyreskontrakt påskrivet', name: 'Test Testsson' });
    const [a] = await codec.encode([original]);
    const [b] = await codec.encode([original]);
    expect(decode(a!.metadata![METADATA_ENCODING_KEY]!)).toBe(ENCRYPTED_ENCODING);
    expect(decode(a!.metadata![KEY_ID_METADATA]!)).toBe('k1');
    expect(Buffer.from(a!.data!).toString('latin1')).not.toContain('Hyreskontrakt');
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
    const [back] = await codec.decode([a!]);
    expect(text(back!)).toBe(text(original));
    expect(decode(back!.metadata![METADATA_ENCODING_KEY]!)).toBe('json/plain');
  });

  test('rotation: the first key encrypts, every key decrypts; a retired key is named when missing', async () => {
    const old = new EncryptionCodec(parsePayloadKeys(k1));
    const rotated = new EncryptionCodec(parsePayloadKeys(`${k2},${k1}`));
    const [byOld] = await old.encode([json('gammal')]);
    const [byNew] = await rotated.encode([json('ny')]);
    expect(decode(byNew!.metadata![KEY_ID_METADATA]!)).toBe('k2');
    expect((await rotated.decode([byOld!, byNew!])).map(text)).toEqual(['"gammal"', '"ny"']);
    await expect(new EncryptionCodec(parsePayloadKeys(k2)).decode([byOld!])).rejects.toThrow(/key "k1"/);
  });

  test('payloads from before the codec pass through; a changed byte is refused', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(k1));
    const plain = json({ old: true });
    expect(await codec.decode([plain])).toEqual([plain]);
    const [enc] = await codec.encode([json('x')]);
    const tampered = Buffer.from(enc!.data!);
    tampered[20] = (tampered[20]! + 1) % 256;
    await expect(codec.decode([{ ...enc!, data: tampered }])).rejects.toThrow();
  });
});

describe('PAYLOAD_KEYS', () => {
  const secret = Buffer.alloc(32, 7).toString('base64');
  test.each([
    ['', /PAYLOAD_KEYS: required/],
    ['k1', /PAYLOAD_KEYS: entry 1 is not id:base64/],
    [`k1:${Buffer.alloc(16, 7).toString('base64')}`, /PAYLOAD_KEYS: the key of "k1" is 16 bytes; AES-256 needs exactly 32/],
    ['k1:not base64!', /PAYLOAD_KEYS: the key of "k1" is not base64/],
    [`k1:${secret},k1:${secret}`, /PAYLOAD_KEYS: the id "k1" is listed twice/],
    [`bad id:${secret}`, /PAYLOAD_KEYS: entry 1/],
  ])('%j is refused with a message naming the variable, never the key', (raw, message) => {
    let error: Error | undefined;
    try {
      parsePayloadKeys(raw);
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain(secret);
  });
  test('several keys, first first', () => {
    expect(parsePayloadKeys(`a:${secret}, b:${secret}`).map((k) => k.id)).toEqual(['a', 'b']);
  });
});
