import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalBytes, canonicalJson } from './canonical-json.js';

function doubleFromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalJson (RFC 8785 JCS)', () => {
  // RFC 8785 Appendix B, Table 1 ("ECMAScript-compatible JSON number serialization samples").
  const APPENDIX_B: Array<[string, string]> = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];

  it.each(APPENDIX_B)('writes the double with bits %s as %s (RFC 8785 Appendix B)', (bits, text) => {
    expect(canonicalJson(doubleFromBits(bits))).toBe(text);
  });

  it('rejects the Appendix B NaN and Infinity rows, and -Infinity', () => {
    for (const bits of ['7fffffffffffffff', '7ff0000000000000', 'fff0000000000000']) {
      expect(() => canonicalJson(doubleFromBits(bits))).toThrow(TypeError);
      expect(() => canonicalJson({ a: [1, doubleFromBits(bits)] })).toThrow(/non-finite number .* at \.a\[1\]/);
    }
  });

  it('canonicalises the RFC 8785 §3.2.2 example', () => {
    // The input of RFC 8785 §3.2.2, as JSON text, parsed the way any JSON parser would.
    const input = JSON.parse(String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`) as unknown;
    expect(canonicalJson(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('sorts member names by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const input = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`) as Record<string, string>;
    // Parse the output as text: a JS object would put the integer-like name "1" first again.
    const text = canonicalJson(input);
    const order = [
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ].map((v) => text.indexOf(`"${v}"`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text.startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"')).toBe(true);
    // The UTF-8 of the names in order, as the RFC prints them: 0d / 31 / c2 80 / c3 b6 / e2 82 ac / f0 9f 98 80 / ef ac b3
    const names = Object.keys(input).sort().map((k) => Buffer.from(k, 'utf8').toString('hex'));
    expect(names).toEqual(['0d', '31', 'c280', 'c3b6', 'e282ac', 'f09f9880', 'efacb3']);
  });

  it('writes no whitespace, escapes like JSON.stringify, and leaves U+2028/U+2029 literal', () => {
    expect(canonicalJson({ b: [1, { d: 'x', c: null }], a: true })).toBe('{"a":true,"b":[1,{"c":null,"d":"x"}]}');
    expect(canonicalJson('\u0000\u001f\b\t\n\f\r"\\/\u007f\u2028\u2029é')).toBe('"\\u0000\\u001f\\b\\t\\n\\f\\r\\"\\\\/\u007f\u2028\u2029é"');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalBytes({ é: '€' }).toString('hex')).toBe(Buffer.from('{"é":"€"}', 'utf8').toString('hex'));
  });

  it('rejects what JSON.stringify would drop, coerce or reinterpret', () => {
    const bad: unknown[] = [
      undefined,
      { a: undefined },
      [undefined],
      () => 1,
      { f: () => 1 },
      Symbol('s'),
      { s: Symbol('s') },
      { [Symbol('k')]: 1 },
      10n,
      { n: 10n },
      'lone \ud800 high',
      'lone \udc00 low',
      { '\udfff': 1 },
      new Date(0),
      Buffer.from('x'),
      new Map(),
      // eslint-disable-next-line no-sparse-arrays
      [1, , 3],
    ];
    for (const v of bad) expect(() => canonicalJson(v), String(typeof v)).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
    // The same object twice (not a cycle) is fine.
    const shared = { x: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
    // Objects with a null prototype are plain data.
    const bare = Object.create(null) as Record<string, unknown>;
    bare.z = 1;
    bare.a = 2;
    expect(canonicalJson(bare)).toBe('{"a":2,"z":1}');
  });

  it('round-trips every JSON value: JSON.parse(canonicalJson(x)) deep-equals x', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (x) => {
        const text = canonicalJson(x);
        // fast-check may produce -0, which JSON (and JCS) writes as 0.
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(x)));
        // Canonical output is a fixed point.
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it('does not depend on member insertion order', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary' }).filter((s) => !/\p{Cs}/u.test(s)), fc.jsonValue(), { maxKeys: 12 }),
        fc.infiniteStream(fc.nat()),
        (dict, randoms) => {
          const entries = Object.entries(dict);
          const shuffled = entries
            .map((e) => ({ e, r: randoms.next().value as number }))
            .sort((a, b) => a.r - b.r)
            .map(({ e }) => e);
          expect(canonicalJson(Object.fromEntries(shuffled))).toBe(canonicalJson(Object.fromEntries(entries.reverse())));
        },
      ),
    );
  });
});
