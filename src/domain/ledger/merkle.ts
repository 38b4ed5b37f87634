/**
 * The Merkle Tree Hash of RFC 9162 §2.1 (unchanged from RFC 6962 §2.1), its inclusion and
 * consistency proofs, and a right-edge frontier for O(log n) appends.
 *
 * Tree shape (RFC 9162 §2.1.1): MTH({}) = SHA-256(), MTH({d0}) = SHA-256(0x00 ‖ d0), and for n > 1
 * with k the largest power of two smaller than n, MTH(D[n]) = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])).
 *
 * Storage model. A database stores only *perfect* subtrees ("coords"): the node (level, index)
 * covers leaves [index·2^level, (index+1)·2^level). Every node of an RFC 9162 tree, perfect or
 * not, covers a *valid range* (see `perfectCoords`) and its hash is the right-to-left fold of the
 * perfect subtrees of that range (`hashRange`). Proofs are lists of ranges, so a proof is served by
 * fetching `neededCoords(ranges)` in one query and folding.
 *
 * Sizes and indexes are JS numbers (safe integers, < 2^53). No bitwise operators are used on
 * them: JS bitwise operators truncate to 32 bits.
 */
import { createHash, hash } from 'node:crypto';

const HASH_BYTES = 32;

/** RFC 9162 §2.1.1 leaf hash: SHA-256(0x00 ‖ data). */
export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(Uint8Array.of(0)).update(data).digest();
}

/** RFC 9162 §2.1.1 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  // one-shot hashing of the 65 bytes: proofs hash many small nodes, and a Hash object per node costs more than the hash
  const buf = Buffer.allocUnsafe(1 + left.length + right.length);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return hash('sha256', buf, 'buffer') as unknown as Buffer;
}

/** RFC 9162 §2.1.1: the hash of the empty tree, SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** A perfect subtree covering leaves [index·2^level, (index+1)·2^level). */
export interface NodeCoord {
  level: number;
  index: number;
}

/** Leaves [start, end), end exclusive. */
export interface LeafRange {
  start: number;
  end: number;
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** The largest power of two ≤ n (n ≥ 1). */
function floorPow2(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/** The smallest power of two ≥ n (n ≥ 1). */
function ceilPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** log2 of a power of two. */
function log2(p: number): number {
  let l = 0;
  while (p > 1) {
    p /= 2;
    l++;
  }
  return l;
}

/** RFC 9162 §2.1.1 split point: the largest power of two strictly smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  return floorPow2(n - 1);
}

/**
 * Whether [start, end) is the leaf range of a node of some RFC 9162 tree: start < end and start
 * is a multiple of the smallest power of two ≥ (end − start). (Perfect subtrees are the ranges
 * whose length is that power itself; the others are right-edge nodes, e.g. [4, 7) or [0, 5).)
 * The empty range [0, 0) (the empty tree) is also accepted.
 */
export function isValidRange(range: LeafRange): boolean {
  if (!range || !isCount(range.start) || !isCount(range.end)) return false;
  const { start, end } = range;
  if (start === 0 && end === 0) return true;
  if (start >= end) return false;
  return start % ceilPow2(end - start) === 0;
}

/**
 * RFC 9162 §2.1.1 tree shape: the perfect subtrees that make up the node covering `range`, left to
 * right, largest first (the binary decomposition of its length). Folding their hashes right to left
 * with `nodeHash` gives MTH of the range (`hashRange`).
 *
 * Valid ranges (`isValidRange`): [start, end) with start < end and start a multiple of the smallest
 * power of two ≥ end − start — exactly the ranges covered by nodes of RFC 9162 trees, hence every
 * range `inclusionProofRanges` and `consistencyProofRanges` produce; plus [0, 0), which decomposes
 * into nothing. Throws `RangeError` on any other range.
 */
export function perfectCoords(range: LeafRange): NodeCoord[] {
  if (!isValidRange(range)) {
    throw new RangeError(`perfectCoords: [${String(range?.start)}, ${String(range?.end)}) is not the range of an RFC 9162 tree node`);
  }
  const coords: NodeCoord[] = [];
  let start = range.start;
  let remaining = range.end - range.start;
  while (remaining > 0) {
    const size = floorPow2(remaining);
    coords.push({ level: log2(size), index: start / size });
    start += size;
    remaining -= size;
  }
  return coords;
}

/**
 * PATH(index, D[0:size]) of RFC 9162 §2.1.3.1 as leaf ranges, in proof order (the sibling nearest
 * the leaf first). Throws `RangeError` unless 0 ≤ index < size.
 */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  if (!isCount(index) || !isCount(size) || index >= size) {
    throw new RangeError(`inclusionProofRanges: index ${String(index)} is not in a tree of size ${String(size)}`);
  }
  // Walk down from the root; each step's sibling is appended after the deeper path (RFC: PATH(m, D[0:k]) : MTH(D[k:n])).
  const topDown: LeafRange[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      topDown.push({ start: lo + k, end: hi });
      hi = lo + k;
    } else {
      topDown.push({ start: lo, end: lo + k });
      lo = lo + k;
    }
  }
  return topDown.reverse();
}

/**
 * PROOF(from, D[0:to]) of RFC 9162 §2.1.4.1 as leaf ranges, in proof order. Empty when
 * from == to or from == 0 (nothing to prove); `RangeError` when from > to or on non-integers.
 */
export function consistencyProofRanges(from: number, to: number): LeafRange[] {
  if (!isCount(from) || !isCount(to) || from > to) {
    throw new RangeError(`consistencyProofRanges: cannot prove size ${String(from)} consistent with size ${String(to)}`);
  }
  if (from === 0 || from === to) return [];
  // SUBPROOF(m, D[lo:hi], b), unrolled: each step's sibling is appended after the deeper subproof.
  const topDown: LeafRange[] = [];
  let lo = 0;
  let hi = to;
  let m = from; // relative to lo
  let b = true;
  for (;;) {
    const n = hi - lo;
    if (m === n) {
      if (!b) topDown.push({ start: lo, end: hi });
      break;
    }
    const k = splitPoint(n);
    if (m <= k) {
      topDown.push({ start: lo + k, end: hi });
      hi = lo + k;
    } else {
      topDown.push({ start: lo, end: lo + k });
      lo = lo + k;
      m -= k;
      b = false;
    }
  }
  return topDown.reverse();
}

/**
 * MTH (RFC 9162 §2.1.1) of the node covering `range`, from the hashes of its perfect subtrees
 * (`perfectCoords`), folded right to left with `nodeHash`. EMPTY_ROOT for [0, 0).
 */
export function hashRange(range: LeafRange, node: (c: NodeCoord) => Buffer): Buffer {
  const coords = perfectCoords(range);
  const last = coords.at(-1);
  if (last === undefined) return EMPTY_ROOT;
  let acc = node(last);
  for (let i = coords.length - 2; i >= 0; i--) acc = nodeHash(node(coords[i]!), acc);
  return acc;
}

/** The distinct perfect-subtree coords needed to `hashRange` every range, in first-use order. */
export function neededCoords(ranges: LeafRange[]): NodeCoord[] {
  const seen = new Set<string>();
  const out: NodeCoord[] = [];
  for (const r of ranges) {
    for (const c of perfectCoords(r)) {
      const key = `${c.level}:${c.index}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(c);
      }
    }
  }
  return out;
}

/** Reference MTH (RFC 9162 §2.1.1) over leaf hashes, by the recursive definition. EMPTY_ROOT for none. */
export function rootFromLeaves(leaves: Buffer[]): Buffer {
  const mth = (lo: number, hi: number): Buffer => {
    if (hi - lo === 1) return leaves[lo]!;
    const k = splitPoint(hi - lo);
    return nodeHash(mth(lo, lo + k), mth(lo + k, hi));
  };
  return leaves.length === 0 ? EMPTY_ROOT : mth(0, leaves.length);
}

/** The hashes of the ranges, in order: a proof served from stored perfect-subtree hashes. */
export function hashRanges(ranges: LeafRange[], node: (c: NodeCoord) => Buffer): Buffer[] {
  return ranges.map((r) => hashRange(r, node));
}

function isHash(b: unknown): b is Uint8Array {
  return b instanceof Uint8Array && b.length === HASH_BYTES;
}

function isProof(proof: unknown): proof is Uint8Array[] {
  return Array.isArray(proof) && proof.every(isHash);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/**
 * RFC 9162 §2.1.3.2 inclusion proof verification: whether `proof` shows the leaf with hash `leaf`
 * (= `leafHash(data)`, 32 bytes) at `index` in the tree of `size` leaves with root `root`.
 * False, never an exception, on malformed input: non-integers, index ≥ size, hashes that are not
 * 32 bytes, too few or too many proof elements.
 */
export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: Uint8Array[], root: Uint8Array): boolean {
  if (!isCount(index) || !isCount(size) || index >= size) return false; // step 1
  if (!isHash(leaf) || !isHash(root) || !isProof(proof)) return false;
  let state: InclusionState = { fn: index, sn: size - 1, r: Buffer.from(leaf) }; // steps 2, 3
  for (const p of proof) {
    const next = inclusionStep(state, p); // step 4
    if (!next) return false;
    state = next;
  }
  return state.sn === 0 && equal(state.r, root); // step 5
}

interface InclusionState {
  fn: number;
  sn: number;
  r: Buffer;
}

/** RFC 9162 §2.1.3.2 step 4 for one proof element; undefined when the proof has too many (4a). */
function inclusionStep({ fn, sn, r }: InclusionState, p: Uint8Array): InclusionState | undefined {
  if (sn === 0) return undefined; // 4a: more elements than the path has
  if (fn % 2 === 1 || fn === sn) {
    // 4b
    r = nodeHash(p, r);
    if (fn % 2 === 0) {
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    }
  } else {
    r = nodeHash(r, p);
  }
  return { fn: Math.floor(fn / 2), sn: Math.floor(sn / 2), r }; // 4c
}

/**
 * Verifies many inclusion proofs into one tree (one size, one root), remembering every
 * intermediate state (fn, sn, partial hash) of the RFC 9162 §2.1.3.2 algorithm that led to the
 * root. A later proof that reaches a remembered state is proven at that point: the path from there
 * to the root was already checked. For the custody events of a bundle, which sit side by side in
 * the log, this checks most proofs with a few hashes instead of twenty. Same answers as
 * `verifyInclusion` for every well-formed proof; a proof with surplus elements after a remembered
 * state is accepted, since the leaf is in the tree all the same.
 */
export class InclusionVerifier {
  private readonly known = new Set<string>();
  private readonly root: Buffer;
  constructor(
    readonly size: number,
    root: Uint8Array,
  ) {
    this.root = Buffer.from(root);
  }

  verify(index: number, leaf: Uint8Array, proof: Uint8Array[]): boolean {
    const size = this.size;
    if (!isCount(index) || !isCount(size) || index >= size) return false;
    if (!isHash(leaf) || !isHash(this.root) || !isProof(proof)) return false;
    let state: InclusionState = { fn: index, sn: size - 1, r: Buffer.from(leaf) };
    const seen: string[] = [];
    for (const p of proof) {
      const key = `${state.fn}/${state.sn}/${state.r.toString('base64')}`;
      if (this.known.has(key)) return this.remember(seen);
      seen.push(key);
      const next = inclusionStep(state, p);
      if (!next) return false;
      state = next;
    }
    if (state.sn === 0 && equal(state.r, this.root)) return this.remember(seen);
    return false;
  }

  private remember(states: string[]): true {
    for (const s of states) this.known.add(s);
    return true;
  }
}

/**
 * RFC 9162 §2.1.4.2 consistency proof verification: whether `proof` shows the tree of `to` leaves
 * with root `toRoot` extends the tree of `from` leaves with root `fromRoot`.
 *
 * Edge cases, which the RFC algorithm leaves to the caller: from == to holds only with an empty
 * proof and equal roots; from == 0 (the empty tree is a prefix of every tree) holds only with an
 * empty proof and fromRoot == EMPTY_ROOT. False, never an exception, on malformed input
 * (non-integers, from > to, hashes that are not 32 bytes, wrong number of proof elements).
 */
export function verifyConsistency(from: number, to: number, proof: Uint8Array[], fromRoot: Uint8Array, toRoot: Uint8Array): boolean {
  if (!isCount(from) || !isCount(to) || from > to) return false;
  if (!isHash(fromRoot) || !isHash(toRoot) || !isProof(proof)) return false;
  if (from === 0) return proof.length === 0 && equal(fromRoot, EMPTY_ROOT) && (to > 0 || equal(toRoot, EMPTY_ROOT));
  if (from === to) return proof.length === 0 && equal(fromRoot, toRoot);
  if (proof.length === 0) return false; // step 1
  // step 2: if `from` is an exact power of two, the proof starts implicitly with fromRoot.
  const path: Uint8Array[] = floorPow2(from) === from ? [fromRoot, ...proof] : proof;
  let fn = from - 1; // step 3
  let sn = to - 1;
  while (fn % 2 === 1) {
    // step 4
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]!); // step 5
  let sr: Buffer = fr;
  for (let i = 1; i < path.length; i++) {
    // step 6
    const c = path[i]!;
    if (sn === 0) return false; // 6a
    if (fn % 2 === 1 || fn === sn) {
      // 6b
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2); // 6c
    sn = Math.floor(sn / 2);
  }
  return equal(fr, fromRoot) && equal(sr, toRoot) && sn === 0; // step 7
}

function popcount(n: number): number {
  let c = 0;
  while (n > 0) {
    c += n % 2;
    n = Math.floor(n / 2);
  }
  return c;
}

/**
 * The right edge of an RFC 9162 tree: the hashes of the perfect subtrees of the binary
 * decomposition of `size`, largest (leftmost) first — `perfectCoords({ start: 0, end: size })`.
 * Enough to append leaves in O(log n) and to compute the root, so a writer (or a verifier
 * streaming a bundle's leaves) never needs the whole tree.
 */
export class MerkleFrontier {
  #size: number;
  #hashes: Buffer[];

  private constructor(size: number, hashes: Buffer[]) {
    this.#size = size;
    this.#hashes = hashes;
  }

  /** The frontier of the empty tree. */
  static empty(): MerkleFrontier {
    return new MerkleFrontier(0, []);
  }

  /** From `toJSON()` output; throws `TypeError` on a malformed frontier (wrong count or hash length). */
  static fromJSON(j: { size: number; hashes: string[] }): MerkleFrontier {
    if (!j || !isCount(j.size) || !Array.isArray(j.hashes)) throw new TypeError('MerkleFrontier.fromJSON: expected { size, hashes }');
    if (j.hashes.length !== popcount(j.size)) {
      throw new TypeError(`MerkleFrontier.fromJSON: a tree of size ${j.size} has ${popcount(j.size)} frontier hashes, got ${j.hashes.length}`);
    }
    const hashes = j.hashes.map((h) => {
      if (typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h)) throw new TypeError('MerkleFrontier.fromJSON: hashes are 64 lowercase hex digits');
      return Buffer.from(h, 'hex');
    });
    return new MerkleFrontier(j.size, hashes);
  }

  /** Plain JSON: the size and the frontier hashes in lowercase hex, largest subtree first. */
  toJSON(): { size: number; hashes: string[] } {
    return { size: this.#size, hashes: this.#hashes.map((h) => h.toString('hex')) };
  }

  /** The number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /** The coords of the frontier's perfect subtrees, matching `toJSON().hashes`. */
  coords(): NodeCoord[] {
    return perfectCoords({ start: 0, end: this.#size });
  }

  /**
   * Appends a leaf *hash* (`leafHash(data)`) and returns every perfect node this leaf completes,
   * bottom up: the leaf itself at level 0, then each parent it closes (RFC 9162 §2.1.1 node hashes).
   */
  push(leaf: Buffer): Array<{ coord: NodeCoord; hash: Buffer }> {
    if (!isHash(leaf)) throw new TypeError('MerkleFrontier.push: a leaf hash is 32 bytes');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('MerkleFrontier.push: tree is full');
    const index = this.#size;
    let hash: Buffer = Buffer.from(leaf);
    let level = 0;
    let pos = index; // index of the current node at its level
    const completed = [{ coord: { level, index: pos }, hash }];
    // While the node just completed is a right child, it closes its parent with the frontier's smallest subtree.
    while (pos % 2 === 1) {
      const left = this.#hashes.pop()!;
      hash = nodeHash(left, hash);
      level++;
      pos = Math.floor(pos / 2);
      completed.push({ coord: { level, index: pos }, hash });
    }
    this.#hashes.push(hash);
    this.#size = index + 1;
    return completed;
  }

  /** MTH of the tree so far (RFC 9162 §2.1.1): the frontier folded right to left. EMPTY_ROOT when empty. */
  root(): Buffer {
    const n = this.#hashes.length;
    if (n === 0) return EMPTY_ROOT;
    let acc = this.#hashes[n - 1]!;
    for (let i = n - 2; i >= 0; i--) acc = nodeHash(this.#hashes[i]!, acc);
    return acc;
  }

  /** An independent copy. */
  clone(): MerkleFrontier {
    return new MerkleFrontier(this.#size, [...this.#hashes]);
  }
}
