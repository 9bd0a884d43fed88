/**
 * The first screen's requests, issued by a tiny module of their own (each app's `src/boot.ts`,
 * the first `<script>` of its index.html) while the app bundle is still being downloaded, compiled
 * and run. The app picks the answers up in `prefetchFirstScreen` (`takeBootAnswer`).
 *
 * Why: the bundle's evaluation and the map's WebGL start-up keep the main thread busy for seconds
 * under software WebGL, and the first screen's queries form a chain (session → latest month →
 * that month's figures) in which every step waited for a gap in that work: the last answer came
 * 3.7–7 s after navigation. From here the chain runs during the bundle's download and compile.
 *
 * Plain `fetch` of the same tRPC GET batch the client would send (no transformer: answers are
 * JSON), so this module imports nothing and stays a few hundred bytes. Any failure leaves the
 * request to the app's own client, which shows the error where it belongs.
 */

import { levelOfCode } from '@cityops/domain/units';
import { childBoundaryUrl } from '../map/geo-utils.ts';

/**
 * What an app's first screen reads besides the session, the months, the latest month's KPIs and
 * child-unit volumes and the 12-month trend (shared by the boot module and `prefetchFirstScreen`).
 */
export interface FirstScreenPlan {
  /** Boundary files drawn besides the user's own child units (e.g. the context layer). */
  contextUrls?: (unitCode: string) => readonly (string | null)[];
  /** `overview.topItems` limit when the first screen shows the top items chart. */
  topItems?: number;
  /** The first screen shows the index decomposition of the latest month against the one before. */
  decomposition?: boolean;
  /** The first screen shows the children's index ranking of the latest month (`index.ranking`). */
  indexRanking?: boolean;
  /** The first screen reads the user's own unit (`geo.unit`, e.g. for its name in the breadcrumbs). */
  unit?: boolean;
}

/** One tRPC call of the first screen: procedure path and input, exactly as the app's client sends it. */
export type FirstScreenCall = readonly [path: string, input: unknown];

/**
 * The unit a user's dashboard opens on: their unit, or for a grid worker their first grid (the
 * server scopes grid workers to their grids, not to the community above them).
 */
export function homeUnitCode(user: { unitCode: string; gridCodes?: readonly string[] | null | undefined }): string {
  return user.gridCodes?.[0] ?? user.unitCode;
}

/**
 * The calls of the first screen after the session and the months, in the batches the boot module
 * sends them: the map's and charts' figures first, then what the app can draw a moment later
 * (the index ranking is the slowest answer; a batch is answered once all its calls are).
 */
export function firstScreenCalls(unitCode: string, months: readonly string[], plan: FirstScreenPlan): FirstScreenCall[][] {
  const month = months.at(-1);
  const main: FirstScreenCall[] = [['overview.monthlyVolumes', { unitCode, months: FIRST_SCREEN_TREND_MONTHS }]];
  const later: FirstScreenCall[] = [];
  if (month) {
    main.push(['overview.kpis', { unitCode, month }]);
    if (levelOfCode(unitCode) !== 'grid') main.push(['overview.childVolumes', { unitCode, month }]); // a grid has no children
    if (plan.topItems) main.push(['overview.topItems', { unitCode, month, limit: plan.topItems }]);
    const compareTo = plan.decomposition ? defaultCompareMonth(month, months) : undefined;
    if (compareTo) main.push(['index.decomposition', { code: unitCode, month, compareTo }]);
    if (plan.indexRanking) later.push(['index.ranking', { unitCode, month }]);
  }
  if (plan.unit) later.push(['geo.unit', { code: unitCode }]);
  return later.length ? [main, later] : [main];
}

/** 'YYYY-MM' → the month before. */
export function monthBefore(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/** The decomposition's comparison month as the district hub picks it by default, if there is one. */
export function defaultCompareMonth(month: string, months: readonly string[]): string | undefined {
  const before = monthBefore(month);
  return months.includes(before) ? before : undefined;
}

/** Months of the first screen's trend chart (`overview.monthlyVolumes`). */
export const FIRST_SCREEN_TREND_MONTHS = 12;

/** The boundary files of the first screen: the user's child units, then the plan's context. */
export function firstScreenBoundaryUrls(unitCode: string, plan: FirstScreenPlan): string[] {
  return [childBoundaryUrl(unitCode), ...(plan.contextUrls?.(unitCode) ?? [])].filter((url): url is string => !!url);
}

declare global {
  interface Window {
    /** Answers by `bootKey`; a promise resolves to `BOOT_MISS` when the request failed. */
    __cityopsBoot?: Map<string, Promise<unknown>>;
    /** Settles once the boot module has issued all its requests (their answers may still be on the way). */
    __cityopsBootIssued?: Promise<void>;
  }
}

export const BOOT_MISS: unique symbol = Symbol('boot miss');

/** The key of one procedure call (or a boundary file: path `boundaries`, input its URL). */
export function bootKey(path: string, input?: unknown): string {
  return input === undefined ? path : `${path} ${JSON.stringify(input)}`;
}

/**
 * Waits until the boot module (if the page has one) has issued its requests, so that taking an
 * answer cannot race the boot's own chain (it asks for the month's figures once the months came).
 */
export async function bootRequestsIssued(): Promise<void> {
  if (typeof window === 'undefined') return;
  await window.__cityopsBootIssued?.catch(() => undefined);
}

/** Whether the boot module asked for this call (and its answer was not taken yet). */
export function hasBootAnswer(path: string, input?: unknown): boolean {
  return typeof window !== 'undefined' && !!window.__cityopsBoot?.has(bootKey(path, input));
}

/** The booted answer of a call, once (a later refetch asks the server), or undefined. */
export function takeBootAnswer(path: string, input?: unknown): Promise<unknown> | undefined {
  if (typeof window === 'undefined') return undefined;
  const answers = window.__cityopsBoot;
  const key = bootKey(path, input);
  const answer = answers?.get(key);
  answers?.delete(key);
  return answer;
}

/** The URL tRPC's `httpBatchLink` uses for these GET calls (inputs keyed by position; none: omitted). */
export function trpcBatchUrl(calls: readonly (readonly [string, unknown?])[], base = '/api/trpc'): string {
  const inputs: Record<string, unknown> = {};
  calls.forEach(([, input], i) => {
    if (input !== undefined) inputs[i] = input;
  });
  return `${base}/${calls.map(([path]) => path).join(',')}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`;
}

/** One call's data out of a batch answer (`[{ result: { data } } | { error }]`), or BOOT_MISS. */
export function batchItem(body: unknown, index: number): unknown {
  const item = Array.isArray(body) ? (body[index] as { result?: { data?: unknown } } | undefined) : undefined;
  return item?.result && 'data' in item.result ? item.result.data : BOOT_MISS;
}

async function getJson(url: string, requireOk: boolean): Promise<unknown> {
  const response = await fetch(url, { credentials: 'include' });
  // A refused tRPC batch still carries per-call errors, which batchItem reads as misses.
  if (requireOk && !response.ok) return BOOT_MISS;
  return response.json();
}

/**
 * Issues the first screen's calls and records their answers in `window.__cityopsBoot`; the returned
 * promise (also `window.__cityopsBootIssued`) settles once every call has been issued.
 */
export function bootFirstScreen(plan: FirstScreenPlan): Promise<void> {
  const answers = new Map<string, Promise<unknown>>();
  window.__cityopsBoot = answers;
  const issued = issueFirstScreen(plan, answers);
  window.__cityopsBootIssued = issued;
  // The map's WebGL context is not created here: under SwiftShader getContext waits for the GPU
  // process to finish the page's first composite (0.4–0.6 s), and here that wait held back the
  // bundle's evaluation, which had arrived meanwhile; created by deck after React's first render
  // it took ~80 ms. City command, 9 interleaved runs each: GPU read-back median 3,155 ms with
  // the context created here, 2,883 ms without.
  return issued;
}

async function issueFirstScreen(plan: FirstScreenPlan, answers: Map<string, Promise<unknown>>): Promise<void> {
  const batch = (calls: (readonly [string, unknown?])[]) => {
    const body = getJson(trpcBatchUrl(calls), false).catch(() => BOOT_MISS);
    const items = calls.map(([path, input], i) => {
      const item = body.then((b) => batchItem(b, i));
      answers.set(bootKey(path, input), item);
      return item;
    });
    return items;
  };
  const [meAnswer, monthsAnswer] = batch([['auth.me'], ['overview.months']]);
  const me = (await meAnswer) as { user?: { unitCode: string; gridCodes?: string[] | null } | null } | typeof BOOT_MISS;
  const unitCode = me === BOOT_MISS || !me.user ? undefined : homeUnitCode(me.user);
  if (!unitCode) return;
  for (const url of firstScreenBoundaryUrls(unitCode, plan)) answers.set(bootKey('boundaries', url), getJson(url, true).catch(() => BOOT_MISS));
  const months = (await monthsAnswer) as { months?: string[] } | typeof BOOT_MISS;
  for (const calls of firstScreenCalls(unitCode, months === BOOT_MISS ? [] : (months.months ?? []), plan)) batch([...calls]);
}
