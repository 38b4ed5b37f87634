import { describe, expect, it } from 'vitest';
import { descendantsOf, termTree, type Term } from './vocabularies';

const term = (code: string, parent: string | null, position: number, deprecated = false): Term => ({ code, parent, position, deprecated, labels: { be: code, ru: code, en: code } });

describe('vocabulary terms as a tree', () => {
  const terms = [term('sharp', null, 5), term('blunt', null, 0), term('kicking', 'blunt', 3), term('fists', 'blunt', 1), term('cuts', 'sharp', 6), term('stamping', 'kicking', 4)];

  it('lists each term after its parent, siblings by position, with its depth', () => {
    expect(termTree(terms).map(({ term: t, depth }) => `${depth}:${t.code}`)).toEqual(['0:blunt', '1:fists', '1:kicking', '2:stamping', '0:sharp', '1:cuts']);
  });

  it('keeps a term whose parent is missing, or caught in a cycle, at the top level rather than losing it', () => {
    const odd = [term('a', 'b', 0), term('b', 'a', 1), term('c', 'gone', 2)];
    expect(termTree(odd).map(({ term: t, depth }) => `${depth}:${t.code}`).sort()).toEqual(['0:a', '0:b', '0:c']);
  });

  it('finds every term under a term (not itself), so a parent picker can leave them out', () => {
    expect([...descendantsOf(terms, 'blunt')].sort()).toEqual(['fists', 'kicking', 'stamping']);
    expect([...descendantsOf(terms, 'stamping')]).toEqual([]);
  });
});
