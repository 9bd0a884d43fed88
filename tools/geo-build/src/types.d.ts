// Minimal typings for the topojson-* packages, which ship none. Only what geo-build uses.
declare module 'topojson-server' {
  export function topology(objects: Record<string, unknown>, quantization?: number): TopoJsonTopology;
  export interface TopoJsonTopology {
    type: 'Topology';
    arcs: number[][][];
    objects: Record<string, unknown>;
    transform?: unknown;
    bbox?: number[];
  }
}

declare module 'topojson-simplify' {
  import type { TopoJsonTopology } from 'topojson-server';
  export function presimplify<T extends TopoJsonTopology>(topology: T, weight?: (triangle: number[][]) => number): T;
  export function simplify<T extends TopoJsonTopology>(topology: T, minWeight?: number): T;
  export function quantile(topology: TopoJsonTopology, p: number): number;
}

declare module 'topojson-client' {
  import type { TopoJsonTopology } from 'topojson-server';
  export function feature(
    topology: TopoJsonTopology,
    object: unknown,
  ): {
    type: 'FeatureCollection';
    features: Array<{
      type: 'Feature';
      properties: Record<string, unknown>;
      geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] } | null;
    }>;
  };
}
