/** Deterministic randomness: every unit draws from its own stream, seeded by its code. */

import { createRandom, type Random } from '@cityops/domain';

export type { Random };

/** FNV-1a 32-bit hash, used to turn a unit code (plus a purpose tag) into a seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32 (the domain's seeded generator): small, fast, good enough for layout jitter. */
export const mulberry32: (seed: number) => Random = createRandom;

export function randomFor(code: string, purpose: string): Random {
  return mulberry32(hashString(`${purpose}:${code}`));
}

/** A uniform draw in [min, max). */
export function uniform(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}
