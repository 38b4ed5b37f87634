import _sodium from 'libsodium-wrappers-sumo';
import { describe, expect, it } from 'vitest';
import { sourceKeyPair, sourceLookup, sourceToken } from '../../domain/drop/source-keys.js';
import { nativeDropSodium, openSealed, sealTo } from './sodium.js';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');

describe('drop source keys', () => {
  const salt = new Uint8Array(32).map((_, i) => i * 7);
  const codename = 'koshka pochta korona elka ldinka ryba setka';

  it('the browser library (libsodium-wrappers-sumo) and the server (sodium-native) derive the same keys, token and lookup', async () => {
    await _sodium.ready;
    const web = _sodium as unknown as Parameters<typeof sourceKeyPair>[0];
    const a = sourceKeyPair(web, codename, salt);
    const b = sourceKeyPair(nativeDropSodium, codename, salt);
    expect(hex(a.publicKey)).toBe(hex(b.publicKey));
    expect(hex(a.privateKey)).toBe(hex(b.privateKey));
    const ta = sourceToken(web, codename, salt);
    const tb = sourceToken(nativeDropSodium, codename, salt);
    expect(hex(ta)).toBe(hex(tb));
    expect(hex(sourceLookup(web, ta))).toBe(hex(sourceLookup(nativeDropSodium, tb)));
    // a box sealed by the server to the source opens in the browser library with the derived key
    const box = sealTo(b.publicKey, new TextEncoder().encode('reply'));
    expect(new TextDecoder().decode(_sodium.crypto_box_seal_open(box, a.publicKey, a.privateKey))).toBe('reply');
    // and one sealed in the browser opens on the server
    const back = _sodium.crypto_box_seal(new TextEncoder().encode('file'), b.publicKey);
    expect(openSealed(back, b.publicKey, b.privateKey)?.toString()).toBe('file');
  });

  it('the stored lookup, the token and the key seed are unrelated values; another salt or codename gives other keys', () => {
    const kp = sourceKeyPair(nativeDropSodium, codename, salt);
    const token = sourceToken(nativeDropSodium, codename, salt);
    const lookup = sourceLookup(nativeDropSodium, token);
    expect(new Set([hex(kp.privateKey), hex(token), hex(lookup)]).size).toBe(3);
    const other = new Uint8Array(salt);
    other[0] = other[0]! ^ 1;
    expect(hex(sourceKeyPair(nativeDropSodium, codename, other).publicKey)).not.toBe(hex(kp.publicKey));
    expect(hex(sourceKeyPair(nativeDropSodium, codename.replace('setka', 'sетка'), salt).publicKey)).not.toBe(hex(kp.publicKey));
  });

  it('a box opened with the wrong key gives null, not garbage', () => {
    const kp = sourceKeyPair(nativeDropSodium, codename, salt);
    const box = sealTo(kp.publicKey, Buffer.from('secret'));
    const other = sourceKeyPair(nativeDropSodium, 'abacus abdomen abide ability ablaze able abnormal', salt);
    expect(openSealed(box, other.publicKey, other.privateKey)).toBeNull();
    box[box.length - 1] = box[box.length - 1]! ^ 1;
    expect(openSealed(box, kp.publicKey, kp.privateKey)).toBeNull();
  });
});
