import { describe, expect, it } from 'vitest';
import { BoundaryMesh, simplifyIdRing } from './boundary-mesh.ts';
import { carveChildren } from './child-boundaries.ts';
import { mulberry32 } from './prng.ts';

describe('simplifyIdRing', () => {
  it('opens the ring and removes repeats and zero-width spikes', () => {
    expect(simplifyIdRing([1, 2, 2, 3, 4, 3, 5, 1])).toEqual([1, 2, 3, 5]);
  });
});

describe('BoundaryMesh', () => {
  it('inserts a point into every ring along the shared edge, in each ring’s direction', () => {
    const mesh = new BoundaryMesh();
    // Two unit squares (in degrees) sharing the edge x = 1.
    const [left] = mesh.addDegrees([[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]]);
    const [right] = mesh.addDegrees([[[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]]);
    const a = mesh.vertex(1_000_000, 0);
    const b = mesh.vertex(1_000_000, 1_000_000);
    const mid = mesh.vertex(1_000_000, 500_000);
    mesh.insertOnSegment(a, b, [mid]);
    expect([a, b]).toEqual([1, 2]);
    expect(left?.[0]?.ids).toEqual([0, a, mid, b, 3]);
    // The right square runs b → a (closing edge), so it gets the point in reverse order.
    expect(right?.[0]?.ids).toEqual([a, 4, 5, b, mid]);
  });

  it('carves children whose areas sum exactly to the parent, deterministically', () => {
    const carve = (): number[] => {
      const mesh = new BoundaryMesh();
      const parent = mesh.addDegrees([[[[104, 30], [104.05, 30], [104.05, 30.02], [104.02, 30.04], [104, 30.03], [104, 30]]]]);
      const children = carveChildren(mesh, parent, 7, mulberry32(42));
      const area = (g: typeof parent): number => g.reduce((s, p) => s + p.reduce((t, r, i) => t + (i ? -1 : 1) * Math.abs(mesh.twiceSignedArea(r.ids)), 0), 0);
      expect(children.reduce((s, c) => s + area(c), 0)).toBe(area(parent));
      return children.map(area);
    };
    const first = carve();
    expect(first).toHaveLength(7);
    expect(first.every((a) => a > 0)).toBe(true);
    expect(carve()).toEqual(first);
  });
});
