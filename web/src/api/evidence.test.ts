import { describe, expect, it } from 'vitest';
import { formatSeconds, parseSeconds, regionInImage } from './evidence.js';

describe('time marks', () => {
  it('writes seconds as m:ss.s and reads back what people type', () => {
    expect(formatSeconds(0)).toBe('0:00.0');
    expect(formatSeconds(75.54)).toBe('1:15.5');
    expect(formatSeconds(3725)).toBe('1:02:05.0');
    for (const s of [0, 1.2, 75.5, 3725]) expect(parseSeconds(formatSeconds(s))).toBe(s);
    expect(parseSeconds('75')).toBe(75);
    expect(parseSeconds('1:15,5')).toBe(75.5);
    expect(parseSeconds('0:01:15')).toBe(75);
    for (const bad of ['', 'abc', '1:75', '-3', '1::2']) expect(parseSeconds(bad)).toBeNull();
  });
});

describe('regions', () => {
  it('turns a rectangle drawn on the picture as shown into pixels of the picture, inside it', () => {
    expect(regionInImage({ x: 10, y: 20, width: 50, height: 40 }, { width: 320, height: 240 }, { width: 640, height: 480 })).toEqual({ x: 20, y: 40, width: 100, height: 80 });
    // dragged past the edge: cut at the picture's border
    expect(regionInImage({ x: 300, y: 200, width: 100, height: 100 }, { width: 320, height: 240 }, { width: 640, height: 480 })).toEqual({ x: 600, y: 400, width: 40, height: 80 });
  });
});
