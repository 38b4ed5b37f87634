import { describe, expect, it } from 'vitest';
import { mergeSpans, redactionKind, relativeRegion, textPieces } from './redaction.js';

describe('redaction helpers', () => {
  it('turns a region in pixels into fractions of the picture, kept inside it', () => {
    expect(relativeRegion({ x: 160, y: 120, width: 160, height: 120 }, { width: 640, height: 480 })).toEqual({ x: 0.25, y: 0.25, width: 0.25, height: 0.25 });
    // a region reaching past the edge ends at it
    expect(relativeRegion({ x: 600, y: 0, width: 100, height: 480 }, { width: 640, height: 480 })).toEqual({ x: 0.9375, y: 0, width: 0.0625, height: 1 });
  });

  it('merges overlapping and touching spans, in order, and drops empty ones', () => {
    expect(mergeSpans([{ start: 10, end: 15 }, { start: 0, end: 3 }, { start: 14, end: 20 }, { start: 3, end: 5 }, { start: 8, end: 8 }])).toEqual([
      { start: 0, end: 5 },
      { start: 10, end: 20 },
    ]);
  });

  it('cuts a text into pieces at every span, each saying whether it is chosen and which suggestion covers it', () => {
    expect(textPieces(20, [{ start: 2, end: 6 }], [{ start: 4, end: 10 }, { start: 15, end: 18 }])).toEqual([
      { start: 0, end: 2, chosen: false, proposal: null },
      { start: 2, end: 4, chosen: true, proposal: null },
      { start: 4, end: 6, chosen: true, proposal: 0 },
      { start: 6, end: 10, chosen: false, proposal: 0 },
      { start: 10, end: 15, chosen: false, proposal: null },
      { start: 15, end: 18, chosen: false, proposal: 1 },
      { start: 18, end: 20, chosen: false, proposal: null },
    ]);
    expect(textPieces(0, [], [])).toEqual([]);
  });

  it('tells which kind of redaction an item takes: by its type, text for documents with text, none for derivatives', () => {
    const item = (category: string | null, kinds: string[] = [], parentId: string | null = null) => ({ category, parentId, derivatives: kinds.map((derivativeKind) => ({ derivativeKind })) });
    expect(redactionKind(item('image'))).toBe('image');
    expect(redactionKind(item('video', ['poster']))).toBe('video');
    expect(redactionKind(item('audio'))).toBe('audio');
    expect(redactionKind(item('text'))).toBe('text');
    expect(redactionKind(item('document', ['text']))).toBe('text');
    expect(redactionKind(item('document', ['thumbnail']))).toBeNull();
    expect(redactionKind(item('image', [], 'parent-id'))).toBeNull();
  });
});
