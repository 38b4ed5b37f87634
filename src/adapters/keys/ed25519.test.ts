import { describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed, ed25519Sign, ed25519Verify, generateEd25519KeyPair } from './ed25519.js';

// RFC 8032 §7.1, TEST 1 and TEST 2 (https://www.rfc-editor.org/rfc/rfc8032#section-7.1).
const VECTORS = [
  {
    name: 'TEST 1',
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155' + '5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da' + '085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

describe('Ed25519 (libsodium)', () => {
  it.each(VECTORS)('reproduces RFC 8032 $name byte for byte', (v) => {
    const pair = ed25519KeyPairFromSeed(Buffer.from(v.secret, 'hex'));
    expect(pair.publicKey.toString('hex')).toBe(v.public);
    expect(pair.secretKey).toHaveLength(64);
    const message = Buffer.from(v.message, 'hex');
    const signature = ed25519Sign(message, pair.secretKey);
    expect(signature.toString('hex')).toBe(v.signature);
    expect(ed25519Verify(message, signature, pair.publicKey)).toBe(true);
    expect(ed25519Verify(Buffer.concat([message, Buffer.from([0])]), signature, pair.publicKey)).toBe(false);
    for (let i = 0; i < signature.length; i++) {
      const bad = Buffer.from(signature);
      bad[i]! ^= 0x01;
      expect(ed25519Verify(message, bad, pair.publicKey)).toBe(false);
    }
  });

  it('signs and verifies with a generated key, and not with another', () => {
    const a = generateEd25519KeyPair();
    const b = generateEd25519KeyPair();
    expect(a.publicKey.equals(b.publicKey)).toBe(false);
    const m = Buffer.from('custody event', 'utf8');
    const s = ed25519Sign(m, a.secretKey);
    expect(ed25519Verify(m, s, a.publicKey)).toBe(true);
    expect(ed25519Verify(m, s, b.publicKey)).toBe(false);
  });

  it('returns false on wrong lengths and types instead of throwing', () => {
    const v = VECTORS[1]!;
    const m = Buffer.from(v.message, 'hex');
    const s = Buffer.from(v.signature, 'hex');
    const pk = Buffer.from(v.public, 'hex');
    expect(ed25519Verify(m, s.subarray(0, 63), pk)).toBe(false);
    expect(ed25519Verify(m, Buffer.concat([s, Buffer.alloc(1)]), pk)).toBe(false);
    expect(ed25519Verify(m, s, pk.subarray(0, 31))).toBe(false);
    expect(ed25519Verify(m, s, Buffer.alloc(0))).toBe(false);
    expect(ed25519Verify('x' as unknown as Buffer, s, pk)).toBe(false);
    expect(ed25519Verify(m, s, null as unknown as Buffer)).toBe(false);
    // The all-zero key is of small order: libsodium refuses it.
    expect(ed25519Verify(m, s, Buffer.alloc(32))).toBe(false);
  });

  it('refuses seeds and secret keys of the wrong length', () => {
    expect(() => ed25519KeyPairFromSeed(Buffer.alloc(31))).toThrow(TypeError);
    expect(() => ed25519Sign(Buffer.from('m'), Buffer.alloc(32))).toThrow(TypeError);
  });
});
