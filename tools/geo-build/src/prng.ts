/** Deterministic randomness: every unit draws from its own stream, seeded by its code. */

export type Random = () => number;

/** FNV-1a 32-bit hash, used to turn a unit code (plus a purpose tag) into a seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: small, fast, good enough for layout jitter (not for cryptography). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomFor(code: string, purpose: string): Random {
  return mulberry32(hashString(`${purpose}:${code}`));
}

/** A uniform draw in [min, max). */
export function uniform(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}
