import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CIPHER_FORMAT_V1, FieldDecryptionError, blindIndex, decryptField, encryptField, generateDataKey } from './field-cipher.js';

describe('field encryption (XChaCha20-Poly1305)', () => {
  const key = generateDataKey();
  const aad = 'persons/01J9Z0000000000000000000AA/name';

  it('round-trips text of any script, and empty text', () => {
    for (const text of ['Аляксандра Прыкладная', 'Aliaksandra Prykladnaja', '+375 29 000-00-00', '', 'ў ё і — 🕊️']) {
      expect(decryptField(key, encryptField(key, text, aad), aad)).toBe(text);
    }
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string(), (text, a) => decryptField(key, encryptField(key, text, a), a) === text));
  });

  it('writes format 1, a random 24-byte nonce, and never the same ciphertext twice', () => {
    const a = encryptField(key, 'same', aad);
    const b = encryptField(key, 'same', aad);
    expect(a[0]).toBe(CIPHER_FORMAT_V1);
    expect(a.length).toBe(1 + 24 + 4 + 16);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('same'))).toBe(false);
  });

  it('fails loudly when any single byte is changed', () => {
    const blob = encryptField(key, 'Аляксандра Прыкладная', aad);
    for (let i = 0; i < blob.length; i++) {
      for (const flip of [0x01, 0x80]) {
        const bad = Buffer.from(blob);
        bad[i]! ^= flip;
        expect(() => decryptField(key, bad, aad), `byte ${i}`).toThrow(FieldDecryptionError);
      }
    }
    expect(() => decryptField(key, blob.subarray(0, blob.length - 1), aad)).toThrow(FieldDecryptionError);
    expect(() => decryptField(key, Buffer.concat([blob, Buffer.from([0])]), aad)).toThrow(FieldDecryptionError);
    expect(() => decryptField(key, Buffer.alloc(3), aad)).toThrow(/too short/);
  });

  it("refuses another record's or field's AAD, and another key", () => {
    const blob = encryptField(key, '1990-04-01', 'persons/A/birth_date');
    expect(() => decryptField(key, blob, 'persons/B/birth_date')).toThrow(FieldDecryptionError);
    expect(() => decryptField(key, blob, 'persons/A/phone')).toThrow(FieldDecryptionError);
    expect(() => decryptField(generateDataKey(), blob, 'persons/A/birth_date')).toThrow(FieldDecryptionError);
    expect(() => decryptField(key, blob, 'persons/A/birth_date')).not.toThrow();
  });

  it('refuses keys of the wrong size', () => {
    expect(() => encryptField(Buffer.alloc(16), 'x', aad)).toThrow(/32 bytes/);
  });
});

describe('blind index (keyed BLAKE2b, per-context subkeys)', () => {
  const k1 = generateDataKey();
  const k2 = generateDataKey();

  it('is deterministic for one key, value and context', () => {
    const a = blindIndex(k1, 'aliaksandra prykladnaja', 'person-name');
    expect(a).toBe(blindIndex(Buffer.from(k1), 'aliaksandra prykladnaja', 'person-name'));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  it('differs across keys, contexts and values', () => {
    const v = 'aliaksandra prykladnaja';
    const all = [blindIndex(k1, v, 'person-name'), blindIndex(k2, v, 'person-name'), blindIndex(k1, v, 'person-phone'), blindIndex(k1, `${v} `, 'person-name')];
    expect(new Set(all).size).toBe(all.length);
  });

  it('gives 16 to 32 bytes, hex or base64url', () => {
    expect(blindIndex(k1, 'x', 'c', { bytes: 32 })).toMatch(/^[0-9a-f]{64}$/);
    expect(blindIndex(k1, 'x', 'c', { encoding: 'base64url' })).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(() => blindIndex(k1, 'x', 'c', { bytes: 8 })).toThrow(RangeError);
    expect(() => blindIndex(k1, 'x', '')).toThrow(/context/);
  });
});
