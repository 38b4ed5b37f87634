import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ed25519KeyPairFromSeed, ed25519Sign, ed25519Verify, generateEd25519KeyPair } from '../../adapters/keys/ed25519.js';
import {
  NOTE_MAX_SIGNATURES,
  cosignNoteText,
  cosignatureKeyId,
  cosignatureMessage,
  cosignatureTimestamp,
  ed25519KeyId,
  formatCheckpoint,
  formatNote,
  formatVerifierKey,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  signNoteText,
  verifyNoteSignature,
  type Checkpoint,
} from './note.js';
import { leafHash } from './merkle.js';

// Published vectors of the signed-note reference implementation, golang.org/x/mod/sumdb/note
// (note_test.go: TestNewVerifier, TestSign, TestOpen): the PeterNeumann signer and verifier keys,
// the EnochRoot verifier key, the text and both signature lines.
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

// The examples printed in the C2SP specs themselves (c2sp.org/signed-note, tlog-checkpoint,
// tlog-cosignature). Their public keys are not published, so they test parsing only.
const SPEC_NOTE =
  'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n' +
  '— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n';
const SPEC_CHECKPOINT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const SPEC_COSIGNED =
  SPEC_CHECKPOINT +
  '\n— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
  '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';

function peterKeyPair() {
  const material = Buffer.from(PETER_SKEY.split('+').slice(4).join('+'), 'base64');
  expect(material[0]).toBe(0x01);
  return ed25519KeyPairFromSeed(material.subarray(1));
}

const sodiumSign = (secretKey: Buffer) => (m: Buffer) => ed25519Sign(m, secretKey);

describe('signed notes: the golang.org/x/mod/sumdb/note vectors', () => {
  it('parses the PeterNeumann verifier key and recomputes its key ID', () => {
    const k = parseVerifierKey(PETER_VKEY);
    expect(k.name).toBe('PeterNeumann');
    expect(k.alg).toBe('ed25519');
    expect(k.keyId.toString('hex')).toBe('c74f20a3');
    expect(ed25519KeyId('PeterNeumann', k.publicKey).toString('hex')).toBe('c74f20a3');
    expect(formatVerifierKey('PeterNeumann', k.publicKey)).toBe(PETER_VKEY);
    expect(peterKeyPair().publicKey.equals(k.publicKey)).toBe(true);
  });

  it('rejects every substring and every single-byte change of the verifier key', () => {
    const b = Buffer.from(PETER_VKEY, 'utf8');
    for (let i = 0; i <= b.length; i++) {
      for (let j = i + 1; j <= b.length; j++) {
        if (i === 0 && j === b.length) continue;
        expect(() => parseVerifierKey(b.subarray(i, j).toString('utf8')), `${i}..${j}`).toThrow(Error);
      }
    }
    for (let i = 0; i < b.length; i++) {
      const c = Buffer.from(b);
      c[i]! += 1;
      expect(() => parseVerifierKey(c.toString('utf8')), `byte ${i}`).toThrow(Error);
    }
    // Wrong key length and unknown algorithm, with key IDs adjusted to match (note_test.go).
    expect(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')).toThrow(Error);
    expect(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/signature type/);
  });

  it('signs the text exactly as the reference implementation does', () => {
    const pair = peterKeyPair();
    const sig = signNoteText(TEXT, 'PeterNeumann', pair.publicKey, sodiumSign(pair.secretKey));
    expect(formatNote({ text: TEXT, signatures: [sig] })).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('opens the note signed by two keys: each verifies with its own key only', () => {
    const note = parseNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`);
    expect(note.text).toBe(TEXT);
    expect(note.signatures.map((s) => [s.name, s.keyId.toString('hex')])).toEqual([
      ['PeterNeumann', 'c74f20a3'],
      ['EnochRoot', 'af0cfe78'],
    ]);
    const peter = parseVerifierKey(PETER_VKEY);
    const enoch = parseVerifierKey(ENOCH_VKEY);
    expect(verifyNoteSignature(note, peter, ed25519Verify)).toBe('valid');
    expect(verifyNoteSignature(note, enoch, ed25519Verify)).toBe('valid');
    expect(verifyNoteSignature(parseNote(`${TEXT}\n${PETER_SIG}`), enoch, ed25519Verify)).toBe('absent');
    expect(verifyNoteSignature(parseNote(`${TEXT.replace('cryptography', 'cryptographY')}\n${PETER_SIG}`), peter, ed25519Verify)).toBe('invalid');
    // A line with the right name and ID but 3 more bytes of signature (note_test.go "Invalid signature").
    const longer = parseNote(`${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`);
    expect(verifyNoteSignature(longer, peter, ed25519Verify)).toBe('invalid');
    // A duplicate valid line is fine; a valid line next to a bad one with the same name and ID is not.
    expect(verifyNoteSignature(parseNote(`${TEXT}\n${PETER_SIG}${PETER_SIG}`), peter, ed25519Verify)).toBe('valid');
    expect(verifyNoteSignature(parseNote(`${TEXT}\n${PETER_SIG}${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`), peter, ed25519Verify)).toBe('invalid');
    // Same name, other key ID, or same key ID, other name: not this key's signature.
    expect(verifyNoteSignature(parseNote(`${TEXT}\n${PETER_SIG.replace('PeterNeumann', 'PeterNeuman')}`), peter, ed25519Verify)).toBe('absent');
  });

  it('rejects the malformed notes of note_test.go, and more', () => {
    const bad: Array<string | Uint8Array> = [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\u0001${TEXT}\n${PETER_SIG}`,
      Buffer.concat([Buffer.from([0xff]), Buffer.from(`${TEXT}\n${PETER_SIG}`)]),
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
      `${TEXT}\n${PETER_SIG.repeat(NOTE_MAX_SIGNATURES + 1)}`,
      `${TEXT}\n— a+b x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${TEXT}\n— PeterNeumann x08go/Z\n`, // base64 length not a multiple of 4
      `${TEXT}\n— PeterNeumann AAAAAA==\n`, // 4 bytes: a key ID and no signature
      `${TEXT}\n— PeterNeumann  x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${TEXT}\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAN=\n`, // non-canonical base64
      `${TEXT}\r\n${PETER_SIG}`,
      `lone \ud800\n\n${PETER_SIG}`,
    ];
    for (const b of bad) expect(() => parseNote(b), JSON.stringify(b.toString())).toThrow(Error);
    // Exactly the limit is fine.
    expect(parseNote(`${TEXT}\n${PETER_SIG.repeat(NOTE_MAX_SIGNATURES)}`).signatures).toHaveLength(NOTE_MAX_SIGNATURES);
    // Bytes that are valid UTF-8 parse the same as the string.
    expect(parseNote(Buffer.from(`${TEXT}\n${PETER_SIG}`, 'utf8'))).toEqual(parseNote(`${TEXT}\n${PETER_SIG}`));
  });
});

describe('the C2SP spec examples', () => {
  it('parses the signed-note example: the text keeps its own blank line', () => {
    const n = parseNote(SPEC_NOTE);
    expect(n.text).toBe('Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n');
    expect(n.signatures).toHaveLength(1);
    expect(n.signatures[0]!.name).toBe('quasimodo.example/salvatore');
    expect(n.signatures[0]!.signature).toHaveLength(64);
    expect(formatNote(n)).toBe(SPEC_NOTE);
  });

  it('parses the tlog-checkpoint / tlog-cosignature example and reads the witness timestamp', () => {
    const n = parseNote(SPEC_COSIGNED);
    expect(n.text).toBe(SPEC_CHECKPOINT);
    const cp = parseCheckpoint(n.text);
    expect(cp).toMatchObject({ origin: 'example.com/behind-the-sofa', size: 20852163, extensions: [] });
    expect(cp.rootHash.toString('base64')).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(formatCheckpoint(cp)).toBe(SPEC_CHECKPOINT);
    const witness = n.signatures[1]!;
    expect(witness.keyId.toString('hex')).toBe('8d66cf3f');
    expect(witness.signature).toHaveLength(72);
    // "time 1679315147" is the timestamp of the spec's example message.
    expect(cosignatureTimestamp(witness)).toBe(1679315147);
    expect(formatNote(n)).toBe(SPEC_COSIGNED);
  });

  it('builds the cosigned message exactly as the spec prints it', () => {
    expect(cosignatureMessage(SPEC_CHECKPOINT, 1679315147).toString('utf8')).toBe(
      'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    );
    // Extension lines are part of the signed message.
    const ext = `${SPEC_CHECKPOINT}ext one\n`;
    expect(cosignatureMessage(ext, 0).toString('utf8')).toBe(`cosignature/v1\ntime 0\n${ext}`);
    expect(() => cosignatureMessage(SPEC_CHECKPOINT, -1)).toThrow(RangeError);
    expect(() => cosignatureMessage(SPEC_CHECKPOINT, 1.5)).toThrow(RangeError);
    expect(() => cosignatureMessage('not a checkpoint\n', 1)).toThrow(Error);
  });
});

describe('checkpoints', () => {
  const root = leafHash(Buffer.from('x'));

  it('round-trips, with and without extension lines', () => {
    const cps: Checkpoint[] = [
      { origin: 'letapis.example/ledger', size: 0, rootHash: root, extensions: [] },
      { origin: 'letapis.example/ledger', size: 9007199254740991, rootHash: root, extensions: ['a', 'b c'] },
    ];
    for (const cp of cps) expect(parseCheckpoint(formatCheckpoint(cp))).toEqual(cp);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => !/[\u0000-\u001f]|\p{Cs}/u.test(s)),
        fc.nat(),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(fc.string({ minLength: 1 }).filter((s) => !/[\u0000-\u001f]|\p{Cs}/u.test(s)), { maxLength: 3 }),
        (origin, size, h, extensions) => {
          const cp = { origin, size, rootHash: Buffer.from(h), extensions };
          expect(parseCheckpoint(formatCheckpoint(cp))).toEqual(cp);
        },
      ),
    );
  });

  it('parses strictly', () => {
    const r = root.toString('base64');
    const bad = [
      `o\n1\n${r}`, // no final newline
      `o\n1\n`, // two lines
      `\n1\n${r}\n`, // empty origin
      `o\n01\n${r}\n`, // leading zero
      `o\n-1\n${r}\n`,
      `o\n+1\n${r}\n`,
      `o\n1.0\n${r}\n`,
      `o\n 1\n${r}\n`,
      `o\n9007199254740992\n${r}\n`, // beyond a safe integer
      `o\n1\n${r.slice(0, -1)}\n`, // base64 without padding
      `o\n1\n${Buffer.alloc(31).toString('base64')}\n`, // 31 bytes
      `o\n1\n${Buffer.alloc(33).toString('base64')}\n`,
      `o\n1\n${r}\n\n`, // empty extension line
      `o\n1\n${r}\next\n\n`,
      `o\tx\n1\n${r}\n`, // control character
      `o\r\n1\n${r}\n`,
    ];
    for (const b of bad) expect(() => parseCheckpoint(b), JSON.stringify(b)).toThrow(Error);
    expect(parseCheckpoint(`o\n0\n${r}\n`).size).toBe(0);
    expect(() => formatCheckpoint({ origin: 'a\nb', size: 1, rootHash: root, extensions: [] })).toThrow(Error);
    expect(() => formatCheckpoint({ origin: 'a', size: 1, rootHash: root, extensions: ['x\ny'] })).toThrow(Error);
    expect(() => formatCheckpoint({ origin: 'a', size: -1, rootHash: root, extensions: [] })).toThrow(Error);
    expect(() => formatCheckpoint({ origin: 'a', size: 1, rootHash: root.subarray(1), extensions: [] })).toThrow(Error);
  });
});

describe('signing and cosigning with the libsodium adapter', () => {
  const log = generateEd25519KeyPair();
  const witness = generateEd25519KeyPair();
  const LOG = 'letapis.example/ledger';
  const WITNESS = 'witness.example/w1';
  const text = formatCheckpoint({ origin: LOG, size: 42, rootHash: leafHash(Buffer.from('r')), extensions: [] });

  it('a log signature verifies, and fails after any byte of the body is changed', () => {
    const sig = signNoteText(text, LOG, log.publicKey, sodiumSign(log.secretKey));
    expect(sig.keyId.equals(ed25519KeyId(LOG, log.publicKey))).toBe(true);
    const key = parseVerifierKey(formatVerifierKey(LOG, log.publicKey));
    const note = parseNote(formatNote({ text, signatures: [sig] }));
    expect(verifyNoteSignature(note, key, ed25519Verify)).toBe('valid');
    const body = Buffer.from(text, 'utf8');
    for (let i = 0; i < body.length; i++) {
      const b = Buffer.from(body);
      b[i]! ^= 0x01;
      expect(verifyNoteSignature({ text: b.toString('latin1'), signatures: [sig] }, key, ed25519Verify), `byte ${i}`).toBe('invalid');
    }
    // Any flipped signature byte also fails.
    for (let i = 0; i < 64; i++) {
      const s = Buffer.from(sig.signature);
      s[i]! ^= 0x80;
      expect(verifyNoteSignature({ text, signatures: [{ ...sig, signature: s }] }, key, ed25519Verify)).toBe('invalid');
    }
    // The witness's key does not verify the log's signature even under the log's name.
    const impostor = { ...key, publicKey: witness.publicKey };
    expect(verifyNoteSignature(note, impostor, ed25519Verify)).toBe('absent');
  });

  it('a cosignature/v1 verifies with the cosignature key only, carries its timestamp and fails on any change', () => {
    const t = 1_751_444_000;
    const cosig = cosignNoteText(text, WITNESS, witness.publicKey, t, sodiumSign(witness.secretKey));
    expect(cosig.keyId.equals(cosignatureKeyId(WITNESS, witness.publicKey))).toBe(true);
    expect(cosig.keyId.equals(ed25519KeyId(WITNESS, witness.publicKey))).toBe(false);
    expect(cosig.signature).toHaveLength(72);
    expect(cosignatureTimestamp(cosig)).toBe(t);
    // The signature part is Ed25519 over the spec's message.
    expect(ed25519Verify(cosignatureMessage(text, t), cosig.signature.subarray(8), witness.publicKey)).toBe(true);

    const logSig = signNoteText(text, LOG, log.publicKey, sodiumSign(log.secretKey));
    const note = parseNote(formatNote({ text, signatures: [logSig, cosig] }));
    const wkey = parseVerifierKey(formatVerifierKey(WITNESS, witness.publicKey, 'cosignature'));
    expect(wkey.alg).toBe('cosignature');
    expect(verifyNoteSignature(note, wkey, ed25519Verify)).toBe('valid');
    expect(verifyNoteSignature(note, parseVerifierKey(formatVerifierKey(LOG, log.publicKey)), ed25519Verify)).toBe('valid');
    // The same key as a plain Ed25519 note key has another key ID: absent.
    expect(verifyNoteSignature(note, parseVerifierKey(formatVerifierKey(WITNESS, witness.publicKey)), ed25519Verify)).toBe('absent');

    for (let i = 0; i < cosig.signature.length; i++) {
      const s = Buffer.from(cosig.signature);
      s[i]! ^= 0x01; // bytes 0..7 change the timestamp, which is signed too
      expect(verifyNoteSignature({ text, signatures: [{ ...cosig, signature: s }] }, wkey, ed25519Verify), `byte ${i}`).toBe('invalid');
    }
    const body = Buffer.from(text, 'utf8');
    for (let i = 0; i < body.length; i++) {
      const b = Buffer.from(body);
      b[i]! ^= 0x01;
      expect(verifyNoteSignature({ text: b.toString('latin1'), signatures: [cosig] }, wkey, ed25519Verify), `byte ${i}`).toBe('invalid');
    }
    // Wrong length: invalid, not an exception.
    expect(verifyNoteSignature({ text, signatures: [{ ...cosig, signature: cosig.signature.subarray(1) }] }, wkey, ed25519Verify)).toBe('invalid');
    expect(() => cosignatureTimestamp({ ...cosig, signature: cosig.signature.subarray(1) })).toThrow(Error);
  });

  it('a verifier that throws is an invalid signature, not an exception', () => {
    const sig = signNoteText(text, LOG, log.publicKey, sodiumSign(log.secretKey));
    const key = parseVerifierKey(formatVerifierKey(LOG, log.publicKey));
    const throwing = () => {
      throw new Error('boom');
    };
    expect(verifyNoteSignature({ text, signatures: [sig] }, key, throwing)).toBe('invalid');
  });

  it('uses the RFC 8032 key pair deterministically (key IDs and vkeys are stable)', () => {
    const pair = ed25519KeyPairFromSeed(Buffer.from('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', 'hex'));
    const vkey = formatVerifierKey('example.org/log', pair.publicKey);
    const parsed = parseVerifierKey(vkey);
    expect(parsed.publicKey.equals(pair.publicKey)).toBe(true);
    expect(vkey.split('+')[1]).toBe(ed25519KeyId('example.org/log', pair.publicKey).toString('hex'));
    const cvkey = formatVerifierKey('example.org/log', pair.publicKey, 'cosignature');
    expect(Buffer.from(cvkey.split('+').slice(2).join('+'), 'base64')[0]).toBe(0x04);
  });

  it('refuses to sign malformed texts and names', () => {
    const sign = sodiumSign(log.secretKey);
    expect(() => signNoteText('no newline', LOG, log.publicKey, sign)).toThrow(Error);
    expect(() => signNoteText('tab\there\n', LOG, log.publicKey, sign)).toThrow(Error);
    expect(() => signNoteText(text, 'has space', log.publicKey, sign)).toThrow(Error);
    expect(() => signNoteText(text, 'a+b', log.publicKey, sign)).toThrow(Error);
    expect(() => signNoteText(text, '', log.publicKey, sign)).toThrow(Error);
    expect(() => signNoteText(text, LOG, log.publicKey.subarray(1), sign)).toThrow(Error);
    expect(() => formatNote({ text, signatures: [] })).toThrow(Error);
    expect(() => formatNote({ text, signatures: [{ name: LOG, keyId: Buffer.alloc(3), signature: Buffer.alloc(64) }] })).toThrow(Error);
  });

  it('round-trips notes with random texts and signatures', () => {
    const line = fc.string({ maxLength: 20 }).filter((s) => !/[\u0000-\u001f]|\p{Cs}/u.test(s));
    const name = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\s\u0085+\u0000-\u001f]|\p{Cs}/u.test(s));
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 5 }),
        fc.array(fc.record({ name, keyId: fc.uint8Array({ minLength: 4, maxLength: 4 }), signature: fc.uint8Array({ minLength: 1, maxLength: 80 }) }), {
          minLength: 1,
          maxLength: 5,
        }),
        (lines, sigs) => {
          const note = {
            text: `${lines.join('\n')}\n`,
            signatures: sigs.map((s) => ({ name: s.name, keyId: Buffer.from(s.keyId), signature: Buffer.from(s.signature) })),
          };
          expect(parseNote(formatNote(note))).toEqual(note);
        },
      ),
    );
  });
});
