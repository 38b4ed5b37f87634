import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EMPTY_ROOT,
  InclusionVerifier,
  MerkleFrontier,
  consistencyProofRanges,
  hashRange,
  inclusionProofRanges,
  isValidRange,
  leafHash,
  neededCoords,
  nodeHash,
  perfectCoords,
  rootFromLeaves,
  verifyConsistency,
  verifyInclusion,
  type NodeCoord,
} from './merkle.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const dh = (h: string) => Buffer.from(h, 'hex');

// Published RFC 6962 test vectors: the eight leaves, the roots of the trees of sizes 1..8 and the
// known inclusion and consistency proofs, from transparency-dev/merkle proof/verify_test.go
// (the same data as google/certificate-transparency-go and google/trillian merkle tests).
// There, inclusion vectors are written with a 1-based leaf number; here they are 0-based indexes.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(dh);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION: Array<{ index: number; size: number; proof: string[] }> = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const CONSISTENCY: Array<{ from: number; to: number; proof: string[] }> = [
  { from: 1, to: 1, proof: [] },
  {
    from: 1,
    to: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    from: 6,
    to: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    from: 2,
    to: 5,
    proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'],
  },
  {
    from: 6,
    to: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

/** All perfect-subtree hashes of a tree, as a database built from `MerkleFrontier.push` would hold them. */
function buildStore(leafHashes: Buffer[]): { frontier: MerkleFrontier; node: (c: NodeCoord) => Buffer; roots: Buffer[] } {
  const store = new Map<string, Buffer>();
  const frontier = MerkleFrontier.empty();
  const roots = [EMPTY_ROOT];
  for (const l of leafHashes) {
    for (const { coord, hash } of frontier.push(l)) store.set(`${coord.level}:${coord.index}`, hash);
    roots.push(frontier.root());
  }
  const node = (c: NodeCoord) => {
    const h = store.get(`${c.level}:${c.index}`);
    if (!h) throw new Error(`no node ${c.level}:${c.index}`);
    return h;
  };
  return { frontier, node, roots };
}

const proveInclusion = (index: number, size: number, node: (c: NodeCoord) => Buffer) =>
  inclusionProofRanges(index, size).map((r) => hashRange(r, node));
const proveConsistency = (from: number, to: number, node: (c: NodeCoord) => Buffer) =>
  consistencyProofRanges(from, to).map((r) => hashRange(r, node));

function flipBit(b: Uint8Array, bit: number): Buffer {
  const c = Buffer.from(b);
  c[Math.floor(bit / 8) % c.length]! ^= 1 << bit % 8;
  return c;
}

describe('RFC 6962 / RFC 9162 published vectors', () => {
  const leafHashes = LEAVES.map((d) => leafHash(d));
  const { node, roots } = buildStore(leafHashes);

  it('hashes the empty tree, leaves and nodes as specified', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(leafHash(Buffer.alloc(0)))).toBe(ROOTS[0]);
    expect(hex(nodeHash(leafHashes[0]!, leafHashes[1]!))).toBe(ROOTS[1]);
  });

  it('gives the published root for every size 1..8, by the reference, the frontier and hashRange', () => {
    for (let n = 1; n <= 8; n++) {
      expect(hex(rootFromLeaves(leafHashes.slice(0, n))), `size ${n}`).toBe(ROOTS[n - 1]);
      expect(hex(roots[n]!), `frontier size ${n}`).toBe(ROOTS[n - 1]);
      expect(hex(hashRange({ start: 0, end: n }, node)), `hashRange size ${n}`).toBe(ROOTS[n - 1]);
    }
    expect(rootFromLeaves([]).equals(EMPTY_ROOT)).toBe(true);
  });

  it.each(INCLUSION)('builds and verifies the published inclusion proof of leaf $index in size $size', ({ index, size, proof }) => {
    expect(proveInclusion(index, size, node).map(hex)).toEqual(proof);
    const root = dh(ROOTS[size - 1]!);
    expect(verifyInclusion(index, size, leafHashes[index]!, proof.map(dh), root)).toBe(true);
    // The corruptions transparency-dev/merkle probes with: each must fail.
    const p = proof.map(dh);
    const bad: Array<[number, number, Uint8Array, Uint8Array[], Uint8Array]> = [
      [index - 1, size, leafHashes[index]!, p, root],
      [index + 1, size, leafHashes[index]!, p, root],
      [index ^ 2, size, leafHashes[index]!, p, root],
      [index, size * 2, leafHashes[index]!, p, root],
      [index, Math.floor(size / 2), leafHashes[index]!, p, root],
      [index, size, Buffer.from('WrongLeaf'), p, root],
      [index, size, leafHash(Buffer.from('WrongLeaf')), p, root],
      [index, size, leafHashes[index]!, p, EMPTY_ROOT],
      [index, size, leafHashes[index]!, [...p, Buffer.alloc(0)], root],
      [index, size, leafHashes[index]!, [...p, root], root],
      [index, size, leafHashes[index]!, [Buffer.alloc(0), ...p], root],
      [index, size, leafHashes[index]!, [root, ...p], root],
      ...p.map((_, i): [number, number, Uint8Array, Uint8Array[], Uint8Array] => [index, size, leafHashes[index]!, p.map((e, j) => (i === j ? flipBit(e, 3) : e)), root]),
    ];
    if (p.length > 0) bad.push([index, size, leafHashes[index]!, p.slice(0, -1), root]);
    for (const [i, s, l, pr, r] of bad) expect(verifyInclusion(i, s, l, pr, r), `index ${i} size ${s}`).toBe(false);
  });

  it.each(CONSISTENCY)('builds and verifies the published consistency proof from $from to $to', ({ from, to, proof }) => {
    expect(proveConsistency(from, to, node).map(hex)).toEqual(proof);
    const r1 = dh(ROOTS[from - 1]!);
    const r2 = dh(ROOTS[to - 1]!);
    expect(verifyConsistency(from, to, proof.map(dh), r1, r2)).toBe(true);
    if (proof.length === 0) return;
    const p = proof.map(dh);
    const bad: Array<[number, number, Uint8Array[], Uint8Array, Uint8Array]> = [
      [from - 1, to, p, r1, r2],
      [from + 1, to, p, r1, r2],
      [from ^ 2, to, p, r1, r2],
      [from, to * 2, p, r1, r2],
      [from, Math.floor(to / 2), p, r1, r2],
      [from, to, p, Buffer.from('WrongRoot'), r2],
      [from, to, p, r1, Buffer.from('WrongRoot')],
      [from, to, p, r2, r1],
      [from, to, [], r1, r2],
      [from, to, [...p, Buffer.alloc(0)], r1, r2],
      [from, to, [...p, r1], r1, r2],
      [from, to, [...p, r2], r1, r2],
      [from, to, [Buffer.alloc(0), ...p], r1, r2],
      [from, to, [r1, ...p], r1, r2],
      [from, to, [r2, ...p], r1, r2],
      [from, to, [p[0]!, ...p], r1, r2],
      [from, to, p.slice(0, -1), r1, r2],
      ...p.map((_, i): [number, number, Uint8Array[], Uint8Array, Uint8Array] => [from, to, p.map((e, j) => (i === j ? flipBit(e, 4) : e)), r1, r2]),
    ];
    for (const [a, b, pr, x, y] of bad) expect(verifyConsistency(a, b, pr, x, y), `${a}->${b}`).toBe(false);
  });

  it('handles the trivial consistency cases (transparency-dev/merkle TestVerifyConsistency) as documented', () => {
    const r1 = dh(ROOTS[0]!);
    const r2 = dh(ROOTS[1]!);
    expect(verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT)).toBe(true);
    expect(verifyConsistency(0, 1, [], EMPTY_ROOT, r1)).toBe(true);
    expect(verifyConsistency(1, 1, [], r2, r2)).toBe(true);
    expect(verifyConsistency(0, 0, [], EMPTY_ROOT, r2)).toBe(false);
    expect(verifyConsistency(0, 1, [], r1, r2)).toBe(false); // from == 0 needs the empty root
    expect(verifyConsistency(1, 1, [], r1, r2)).toBe(false);
    expect(verifyConsistency(1, 0, [], r1, r2)).toBe(false);
    expect(verifyConsistency(2, 1, [], r1, r2)).toBe(false);
    expect(verifyConsistency(1, 2, [], r1, r2)).toBe(false);
    expect(verifyConsistency(0, 0, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)).toBe(false);
    expect(verifyConsistency(0, 1, [EMPTY_ROOT], EMPTY_ROOT, r1)).toBe(false);
    expect(verifyConsistency(1, 1, [EMPTY_ROOT], r1, r1)).toBe(false);
  });

  it('rejects malformed inclusion input without throwing', () => {
    const h = leafHash(Buffer.from('data'));
    expect(verifyInclusion(0, 1, h, [], h)).toBe(true);
    expect(verifyInclusion(0, 1, h, [], Buffer.alloc(0))).toBe(false);
    expect(verifyInclusion(0, 1, Buffer.alloc(0), [], h)).toBe(false);
    for (const [i, s] of [[0, 0], [1, 0], [2, 1], [-1, 1], [0.5, 2], [Number.NaN, 2], [0, Infinity]] as const) {
      expect(verifyInclusion(i, s, h, [], h)).toBe(false);
    }
    expect(verifyInclusion(0, 1, h, 'nope' as unknown as Uint8Array[], h)).toBe(false);
  });
});

describe('ranges and coords', () => {
  it('decomposes valid ranges largest first and rejects the others', () => {
    expect(perfectCoords({ start: 0, end: 7 })).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(perfectCoords({ start: 8, end: 16 })).toEqual([{ level: 3, index: 1 }]);
    expect(perfectCoords({ start: 4, end: 7 })).toEqual([
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(perfectCoords({ start: 0, end: 0 })).toEqual([]);
    for (const r of [
      { start: 1, end: 3 },
      { start: 2, end: 5 },
      { start: 4, end: 9 },
      { start: 3, end: 3 },
      { start: 5, end: 4 },
      { start: -1, end: 1 },
      { start: 0, end: 1.5 },
    ]) {
      expect(() => perfectCoords(r), JSON.stringify(r)).toThrow(RangeError);
    }
  });

  it('a range is valid exactly when it is a node of the RFC 9162 tree of its end', () => {
    const nodesOf = (lo: number, hi: number, out: Set<string>) => {
      out.add(`${lo},${hi}`);
      if (hi - lo > 1) {
        let k = 1;
        while (k * 2 < hi - lo) k *= 2;
        nodesOf(lo, lo + k, out);
        nodesOf(lo + k, hi, out);
      }
      return out;
    };
    for (let end = 1; end <= 70; end++) {
      const nodes = nodesOf(0, end, new Set());
      for (let start = 0; start < end; start++) {
        // Every node of the tree of size `end` whose range ends at `end`, and every perfect subtree, is valid; nothing else.
        const expected = nodes.has(`${start},${end}`) || (end - start) * Math.floor(start / (end - start)) === start && Number.isInteger(Math.log2(end - start));
        expect(isValidRange({ start, end }), `[${start},${end})`).toBe(expected);
      }
    }
  });

  it('throws on impossible proofs', () => {
    expect(() => inclusionProofRanges(3, 3)).toThrow(RangeError);
    expect(() => inclusionProofRanges(0, 0)).toThrow(RangeError);
    expect(() => consistencyProofRanges(5, 4)).toThrow(RangeError);
    expect(consistencyProofRanges(0, 9)).toEqual([]);
    expect(consistencyProofRanges(9, 9)).toEqual([]);
    expect(inclusionProofRanges(0, 1)).toEqual([]);
  });

  it('neededCoords lists each coord once', () => {
    const ranges = [...inclusionProofRanges(5, 13), ...consistencyProofRanges(6, 13)];
    const coords = neededCoords(ranges);
    const keys = coords.map((c) => `${c.level}:${c.index}`);
    expect(new Set(keys).size).toBe(keys.length);
    const all = new Set(ranges.flatMap((r) => perfectCoords(r).map((c) => `${c.level}:${c.index}`)));
    expect(new Set(keys)).toEqual(all);
  });
});

describe('MerkleFrontier', () => {
  it('returns every completed perfect node, the leaf first', () => {
    const f = MerkleFrontier.empty();
    const l = [0, 1, 2, 3].map((i) => leafHash(Buffer.from([i])));
    expect(f.push(l[0]!).map((x) => x.coord)).toEqual([{ level: 0, index: 0 }]);
    const second = f.push(l[1]!);
    expect(second.map((x) => x.coord)).toEqual([
      { level: 0, index: 1 },
      { level: 1, index: 0 },
    ]);
    expect(second[1]!.hash.equals(nodeHash(l[0]!, l[1]!))).toBe(true);
    f.push(l[2]!);
    expect(f.push(l[3]!).map((x) => x.coord)).toEqual([
      { level: 0, index: 3 },
      { level: 1, index: 1 },
      { level: 2, index: 0 },
    ]);
    expect(f.size).toBe(4);
    expect(f.root().equals(rootFromLeaves(l))).toBe(true);
  });

  it('round-trips through JSON and rejects malformed frontiers', () => {
    const f = MerkleFrontier.empty();
    for (let i = 0; i < 11; i++) f.push(leafHash(Buffer.from([i])));
    const j = JSON.parse(JSON.stringify(f)) as { size: number; hashes: string[] };
    expect(j.hashes).toHaveLength(3);
    const g = MerkleFrontier.fromJSON(j);
    expect(g.size).toBe(11);
    expect(g.root().equals(f.root())).toBe(true);
    g.push(leafHash(Buffer.from([11])));
    f.push(leafHash(Buffer.from([11])));
    expect(g.root().equals(f.root())).toBe(true);
    expect(f.coords()).toEqual(perfectCoords({ start: 0, end: 12 }));
    expect(() => MerkleFrontier.fromJSON({ size: 11, hashes: j.hashes.slice(1) })).toThrow(TypeError);
    expect(() => MerkleFrontier.fromJSON({ size: 11, hashes: [...j.hashes.slice(1), 'ab'] })).toThrow(TypeError);
    expect(() => MerkleFrontier.fromJSON({ size: -1, hashes: [] })).toThrow(TypeError);
    expect(MerkleFrontier.fromJSON({ size: 0, hashes: [] }).root().equals(EMPTY_ROOT)).toBe(true);
    expect(() => f.push(Buffer.alloc(31))).toThrow(TypeError);
  });
});

describe('random trees (fast-check)', () => {
  const treeArb = fc.integer({ min: 1, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`leaf ${i}`))));
  // One set of leaves, shared by all properties: building stores is the expensive part.
  const ALL = Array.from({ length: 300 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
  const STORE = buildStore(ALL);

  it('frontier roots agree with the reference MTH at every size', () => {
    fc.assert(
      fc.property(treeArb, (leaves) => {
        const { frontier } = buildStore(leaves);
        expect(frontier.root().equals(rootFromLeaves(leaves))).toBe(true);
        expect(hashRange({ start: 0, end: leaves.length }, STORE.node).equals(rootFromLeaves(leaves))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('inclusion proofs from hashRange verify, and fail on any flipped bit, wrong index or wrong size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }).chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1), fc.nat(), fc.integer({ min: 1, max: 300 }))),
        ([size, index, bit, otherSize]) => {
          const root = STORE.roots[size]!;
          const proof = proveInclusion(index, size, STORE.node);
          const leaf = ALL[index]!;
          expect(verifyInclusion(index, size, leaf, proof, root)).toBe(true);
          if (proof.length > 0) {
            const i = bit % proof.length;
            const tampered = proof.map((p, j) => (j === i ? flipBit(p, Math.floor(bit / proof.length) % 256) : p));
            expect(verifyInclusion(index, size, leaf, tampered, root)).toBe(false);
          }
          expect(verifyInclusion(index, size, flipBit(leaf, bit % 256), proof, root)).toBe(false);
          expect(verifyInclusion(index, size, leaf, proof, flipBit(root, bit % 256))).toBe(false);
          for (const wrong of [index - 1, index + 1]) {
            if (wrong >= 0 && wrong < size) expect(verifyInclusion(wrong, size, leaf, proof, root)).toBe(false);
          }
          if (otherSize !== size && index < otherSize) {
            // The same proof cannot pass for another size with that size's root (leaf hashes are distinct).
            // (With the *original* root it may: sizes whose paths for this index have the same shape, e.g.
            // index 0 in sizes 65 and 77, compute the same hashes. The size is bound by the signed checkpoint.)
            expect(verifyInclusion(index, otherSize, leaf, proof, STORE.roots[otherSize]!)).toBe(false);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('consistency proofs from hashRange verify, and fail on any flipped bit or wrong sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }).chain((to) => fc.tuple(fc.integer({ min: 1, max: to }), fc.constant(to), fc.nat(), fc.integer({ min: 1, max: 300 }))),
        ([from, to, bit, other]) => {
          const r1 = STORE.roots[from]!;
          const r2 = STORE.roots[to]!;
          const proof = proveConsistency(from, to, STORE.node);
          expect(verifyConsistency(from, to, proof, r1, r2)).toBe(true);
          if (from === to) {
            expect(proof).toEqual([]);
            return;
          }
          const i = bit % proof.length;
          const tampered = proof.map((p, j) => (j === i ? flipBit(p, Math.floor(bit / proof.length) % 256) : p));
          expect(verifyConsistency(from, to, tampered, r1, r2)).toBe(false);
          expect(verifyConsistency(from, to, proof, flipBit(r1, bit % 256), r2)).toBe(false);
          expect(verifyConsistency(from, to, proof, r1, flipBit(r2, bit % 256))).toBe(false);
          expect(verifyConsistency(from, to, proof.slice(1), r1, r2)).toBe(false);
          expect(verifyConsistency(from, to, [...proof, r2], r1, r2)).toBe(false);
          if (other !== from && other <= to) expect(verifyConsistency(other, to, proof, STORE.roots[other]!, r2)).toBe(false);
          if (other !== to && other >= from) expect(verifyConsistency(from, other, proof, r1, STORE.roots[other]!)).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('every valid range hashes to the reference MTH of its leaves', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), (end, pick) => {
        const candidates = Array.from({ length: end }, (_, s) => s).filter((s) => isValidRange({ start: s, end }));
        const start = candidates[pick % candidates.length]!;
        expect(hashRange({ start, end }, STORE.node).equals(rootFromLeaves(ALL.slice(start, end)))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('InclusionVerifier (many proofs into one tree)', () => {
  it('agrees with verifyInclusion on every proof of random trees, and refuses tampered ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), fc.nat(), (size, picks, flip) => {
        const f = MerkleFrontier.empty();
        const nodes = new Map<string, Buffer>();
        const leaves: Buffer[] = [];
        for (let i = 0; i < size; i++) {
          const l = leafHash(Buffer.from(`leaf ${i}`));
          leaves.push(l);
          for (const n of f.push(l)) nodes.set(`${n.coord.level}/${n.coord.index}`, n.hash);
        }
        const root = f.root();
        const v = new InclusionVerifier(size, root);
        for (const pick of picks) {
          const index = pick % size;
          const proof = inclusionProofRanges(index, size).map((r) => hashRange(r, (c) => nodes.get(`${c.level}/${c.index}`)!));
          expect(v.verify(index, leaves[index]!, proof)).toBe(verifyInclusion(index, size, leaves[index]!, proof, root));
          expect(v.verify(index, leaves[index]!, proof)).toBe(true);
          // another leaf's hash at this index never passes
          const other = leafHash(Buffer.from(`not leaf ${index} ${flip}`));
          expect(v.verify(index, other, proof)).toBe(false);
          // a changed proof element before any remembered state fails unless the rest is remembered
          if (proof.length) {
            const bad = proof.map((p) => Buffer.from(p));
            const b0 = bad[0]!;
            b0[flip % 32] = b0[flip % 32]! ^ 1;
            expect(new InclusionVerifier(size, root).verify(index, leaves[index]!, bad)).toBe(false);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
