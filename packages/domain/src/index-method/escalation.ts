import type { Item } from '../categories.ts';
import type { Source } from '../sources.ts';

/**
 * Cross-source escalation (矛盾纠纷升级, "民转刑" prevention): the same person (salted reporter
 * hash) or the same address turning up in several streams within a short window, with content
 * that does not get milder, and ending in a petition or a 110 call — the pattern Chengdu's
 * 110–12345 linkage looks for. Rule (docs/index-methodology.md §escalation):
 *   a chain is a time-ordered sequence of events sharing a key, all within `windowDays` of its
 *   last event, with non-decreasing content severity, touching ≥ `minSources` sources, whose
 *   last event is a petition or a police call. For each such last event we keep the longest
 *   chain; chains contained in a longer one are dropped.
 */

export interface EscalationEvent {
  id: string | number;
  source: Source;
  /** Epoch milliseconds. */
  at: number;
  item: Item;
  /** Severity of the content (any monotone scale, e.g. 0–1 from a classifier or 1–5 from rules). */
  severity: number;
  reporterHash: string | null;
  addressKey: string | null;
}

export interface EscalationOptions {
  windowDays?: number;
  minSources?: number;
  terminalSources?: readonly Source[];
}

export interface EscalationWarning {
  keyKind: 'reporter' | 'address';
  key: string;
  /** Linked events, oldest first. */
  eventIds: (string | number)[];
  sources: Source[];
  items: Item[];
  firstAt: number;
  lastAt: number;
  severityFrom: number;
  severityTo: number;
  /** 严重 when all three sources are involved, else 预警. */
  level: 'warning' | 'severe';
}

const DAY_MS = 86_400_000;

function groupBy(events: readonly EscalationEvent[], keyOf: (e: EscalationEvent) => string | null): Map<string, EscalationEvent[]> {
  const groups = new Map<string, EscalationEvent[]>();
  for (const event of events) {
    const key = keyOf(event);
    if (!key) continue;
    const group = groups.get(key);
    if (group) group.push(event);
    else groups.set(key, [event]);
  }
  return groups;
}

function chainsOfGroup(group: EscalationEvent[], options: Required<EscalationOptions>): EscalationEvent[][] {
  const sorted = [...group].sort((a, b) => a.at - b.at || String(a.id).localeCompare(String(b.id)));
  const windowMs = options.windowDays * DAY_MS;
  const chains: EscalationEvent[][] = [];
  for (let e = 0; e < sorted.length; e++) {
    const last = sorted[e]!;
    if (!options.terminalSources.includes(last.source)) continue;
    let start = e;
    while (start > 0 && last.at - sorted[start - 1]!.at <= windowMs) start--;
    // Longest non-decreasing-severity subsequence of sorted[start..e] ending at e (O(k²); k is the
    // number of one person's events in a month, small). Ties prefer more distinct sources.
    const length = new Int32Array(e - start + 1);
    const previous = new Int32Array(e - start + 1).fill(-1);
    for (let i = 0; i <= e - start; i++) {
      length[i] = 1;
      const event = sorted[start + i]!;
      if (event.severity > last.severity) continue;
      for (let k = 0; k < i; k++) {
        if (sorted[start + k]!.severity <= event.severity && length[k]! + 1 > length[i]!) {
          length[i] = length[k]! + 1;
          previous[i] = k;
        }
      }
    }
    const chain: EscalationEvent[] = [];
    for (let i = e - start; i >= 0; i = previous[i]!) chain.unshift(sorted[start + i]!);
    if (new Set(chain.map((event) => event.source)).size >= options.minSources) chains.push(chain);
  }
  // Drop chains whose events all belong to a longer chain of the same key (or to an identical earlier one).
  return chains.filter(
    (chain, i) => !chains.some((other, j) => j !== i && chain.every((event) => other.includes(event)) && (other.length > chain.length || j < i)),
  );
}

export function detectEscalations(events: readonly EscalationEvent[], options: EscalationOptions = {}): EscalationWarning[] {
  const resolved: Required<EscalationOptions> = {
    windowDays: options.windowDays ?? 30,
    minSources: options.minSources ?? 2,
    terminalSources: options.terminalSources ?? ['petition', 'police'],
  };
  const warnings: EscalationWarning[] = [];
  const seen = new Set<string>();
  const kinds = [
    ['reporter', (e: EscalationEvent) => e.reporterHash],
    ['address', (e: EscalationEvent) => e.addressKey],
  ] as const;
  for (const [keyKind, keyOf] of kinds) {
    for (const [key, group] of groupBy(events, keyOf)) {
      for (const chain of chainsOfGroup(group, resolved)) {
        const signature = chain.map((event) => String(event.id)).join('|');
        if (seen.has(signature)) continue; // the same chain found by reporter and by address
        seen.add(signature);
        const sources = [...new Set(chain.map((event) => event.source))];
        warnings.push({
          keyKind,
          key,
          eventIds: chain.map((event) => event.id),
          sources,
          items: [...new Set(chain.map((event) => event.item))],
          firstAt: chain[0]!.at,
          lastAt: chain[chain.length - 1]!.at,
          severityFrom: chain[0]!.severity,
          severityTo: chain[chain.length - 1]!.severity,
          level: sources.length >= 3 ? 'severe' : 'warning',
        });
      }
    }
  }
  return warnings.sort((a, b) => b.lastAt - a.lastAt || a.key.localeCompare(b.key));
}
