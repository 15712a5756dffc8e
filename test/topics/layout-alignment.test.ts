// The map's alignment to the previous layout: a turned, mirrored, scaled and shifted copy is carried back.
import { describe, expect, it } from 'vitest';
import { alignPlaces, applyTransform, fitTransform } from '../../src/index/topics/layout-alignment.ts';

const OLD = [
  { x: 0.2, y: 0.3 },
  { x: 0.7, y: 0.2 },
  { x: 0.5, y: 0.8 },
  { x: 0.35, y: 0.55 },
];

/** The old places moved by a rotation of `deg`, scale `s`, optional mirror and a shift. */
function moved(deg: number, s: number, mirror: boolean): { x: number; y: number }[] {
  const r = (deg * Math.PI) / 180;
  return OLD.map((p) => {
    const y = mirror ? -p.y : p.y;
    return {
      x: s * (Math.cos(r) * p.x - Math.sin(r) * y) + 0.1,
      y: s * (Math.sin(r) * p.x + Math.cos(r) * y) - 0.2,
    };
  });
}

describe('layout alignment', () => {
  for (const [deg, s, mirror] of [
    [0, 1, false],
    [90, 1.3, false],
    [200, 0.7, true],
    [0, 1, true],
  ] as const)
    it(`carries a copy turned ${deg}°, scaled ${s}${mirror ? ', mirrored' : ''} back onto the old places`, () => {
      const from = moved(deg, s, mirror);
      const t = fitTransform(from.map((f, i) => ({ from: f, to: OLD[i]!, weight: 1 + i })));
      from.forEach((f, i) => {
        const p = applyTransform(t, f);
        expect(p.x).toBeCloseTo(OLD[i]!.x, 6);
        expect(p.y).toBeCloseTo(OLD[i]!.y, 6);
      });
      expect(t.scale).toBeCloseTo(1 / s, 6);
    });

  it('keeps every disc inside the map and leaves a layout alone with too few anchors', () => {
    const places = [
      { x: 0.1, y: 0.1, radius: 0.05 },
      { x: 0.9, y: 0.9, radius: 0.05 },
      { x: 0.5, y: 0.2, radius: 0.05 },
    ];
    // Anchors asking for twice the size: the result is shrunk back inside [0.02, 0.98].
    const anchors = places.map((p) => ({ from: p, to: { x: 2 * p.x - 0.5, y: 2 * p.y - 0.5 }, weight: 1 }));
    for (const p of alignPlaces(places, anchors)) {
      expect(p.x - p.radius).toBeGreaterThanOrEqual(0.02 - 1e-9);
      expect(p.x + p.radius).toBeLessThanOrEqual(0.98 + 1e-9);
    }
    expect(alignPlaces(places, anchors.slice(0, 2))).toEqual(places);
  });
});
