import type { Item } from './categories.ts';
import type { Source } from './sources.ts';

/**
 * The shapes in which events leave the server (event list, detail drawer, map points): defined
 * once here, produced by the data layer and read by the dashboards.
 */
export interface EventRow {
  id: string;
  externalId: string;
  source: Source;
  receivedAt: string;
  item: Item;
  itemLabel: string;
  nature: string | null;
  natureLabel: string | null;
  summary: string | null;
  districtCode: string;
  streetCode: string;
  communityCode: string;
  gridCode: string;
  urgency: string;
  status: string | null;
  lng: number;
  lat: number;
}

/** A reporter's personal data: masked unless the caller's role may see it. */
export interface ReporterContact {
  name: string | null;
  phone: string | null;
  idNumber: string | null;
}

/** One event in full; `reporter` is masked unless `personalDataVisible` (the server decides, and audits). */
export interface EventDetail extends EventRow {
  channel: string;
  subCategory: string | null;
  dispatchedAt: string | null;
  firstResponseAt: string | null;
  dueAt: string | null;
  closedAt: string | null;
  handlingUnit: string | null;
  handlingDepartment: string | null;
  returnVisitResult: string | null;
  satisfaction: string | null;
  reporter: ReporterContact;
  /** True when `reporter` holds the values the source delivered (role permitted and a sealed record exists). */
  personalDataVisible: boolean;
}

/** An event on the map at street zoom. */
export interface EventPoint {
  id: string;
  lng: number;
  lat: number;
  source: Source;
  item: Item;
  urgency: string;
}
