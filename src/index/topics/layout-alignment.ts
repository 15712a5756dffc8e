// Keeps the map steady across full recomputes: the new topic layout is turned, mirrored, scaled and moved
// (a weighted Procrustes fit) onto where the matching old topics were, so readers find things where they were.

/** A place on the map: centre and disc radius. */
export interface Place {
  x: number;
  y: number;
  radius: number;
}

/** A new topic's place paired with an old topic's place, and how much the pair should count. */
export interface Anchor {
  from: { x: number; y: number };
  to: { x: number; y: number };
  weight: number;
}

/** A similarity transform of the plane (rotation or reflection, uniform scale, shift). */
export interface PlaneTransform {
  a: number;
  b: number;
  c: number;
  d: number;
  tx: number;
  ty: number;
  scale: number;
}

const IDENTITY: PlaneTransform = { a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0, scale: 1 };

/**
 * The similarity transform that best carries the anchors' `from` onto their `to` (least weighted squared
 * distance), reflection allowed; the identity with fewer than three anchors (too few to trust).
 * @example const t = fitTransform(anchors); const p = applyTransform(t, { x: 0.2, y: 0.4 });
 */
export function fitTransform(anchors: readonly Anchor[]): PlaneTransform {
  const used = anchors.filter((p) => p.weight > 0);
  if (used.length < 3) return IDENTITY;
  let w = 0;
  let fx = 0;
  let fy = 0;
  let tx = 0;
  let ty = 0;
  for (const p of used) {
    w += p.weight;
    fx += p.weight * p.from.x;
    fy += p.weight * p.from.y;
    tx += p.weight * p.to.x;
    ty += p.weight * p.to.y;
  }
  fx /= w;
  fy /= w;
  tx /= w;
  ty /= w;
  // Rotation: angle from the sums of dot and cross products; reflection: the same with `from` mirrored.
  let dot = 0;
  let cross = 0;
  let dotM = 0;
  let crossM = 0;
  let spread = 0;
  for (const p of used) {
    const ax = p.from.x - fx;
    const ay = p.from.y - fy;
    const bx = p.to.x - tx;
    const by = p.to.y - ty;
    dot += p.weight * (ax * bx + ay * by);
    cross += p.weight * (ax * by - ay * bx);
    // Mirrored, `from` is (ax, −ay): dot = ax·bx − ay·by, cross = ax·by + ay·bx.
    dotM += p.weight * (ax * bx - ay * by);
    crossM += p.weight * (ax * by + ay * bx);
    spread += p.weight * (ax * ax + ay * ay);
  }
  if (spread < 1e-12) return { ...IDENTITY, tx: tx - fx, ty: ty - fy };
  const plain = Math.hypot(dot, cross);
  const mirrored = Math.hypot(dotM, crossM);
  const mirror = mirrored > plain;
  const theta = mirror ? Math.atan2(crossM, dotM) : Math.atan2(cross, dot);
  const scale = (mirror ? mirrored : plain) / spread;
  const cos = Math.cos(theta) * scale;
  const sin = Math.sin(theta) * scale;
  // Matrix applied to (x, y) or to the mirrored (x, −y).
  const a = cos;
  const b = mirror ? sin : -sin;
  const c = sin;
  const d = mirror ? -cos : cos;
  return { a, b, c, d, tx: tx - (a * fx + b * fy), ty: ty - (c * fx + d * fy), scale };
}

/** The transform applied to one point. */
export function applyTransform(t: PlaneTransform, p: { x: number; y: number }): { x: number; y: number } {
  return { x: t.a * p.x + t.b * p.y + t.tx, y: t.c * p.x + t.d * p.y + t.ty };
}

/**
 * New topic places carried onto the old layout, then shrunk towards the middle only as far as needed for
 * every disc to stay inside [0.02, 0.98]² (the map's coordinates are stored as fractions of its side).
 */
export function alignPlaces(places: readonly Place[], anchors: readonly Anchor[]): Place[] {
  const t = fitTransform(anchors);
  const out = places.map((p) => ({ ...applyTransform(t, p), radius: p.radius * t.scale }));
  let reach = 0;
  for (const p of out)
    reach = Math.max(reach, Math.abs(p.x - 0.5) + p.radius, Math.abs(p.y - 0.5) + p.radius);
  if (reach <= 0.48) return out;
  const s = 0.48 / reach;
  return out.map((p) => ({ x: 0.5 + (p.x - 0.5) * s, y: 0.5 + (p.y - 0.5) * s, radius: p.radius * s }));
}
