import type { Database, PiiVault } from '@cityops/db';
import { insertSimulatedEvents, refreshRollups } from '@cityops/db';
import type { LiveBus } from '@cityops/api';
import { ITEMS, type Item, type Source } from '@cityops/domain';

export interface LiveSimulatorOptions {
  /** New events per minute (demo mode only). */
  perMinute: number;
  /** How often the rollups absorb the new events. */
  rollupEveryMs?: number;
  log?: (line: string) => void;
  /** Seals the simulated reporters' contacts (demo mode always has one). */
  vault?: PiiVault | undefined;
}

/** Asia/Shanghai wall-clock text for an instant (China has no daylight saving). */
export function shanghaiWallClock(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Demo mode's heartbeat: once a second it inserts the events due at the configured rate, pushes
 * each onto the live bus (the bus filters by scope per subscriber) and periodically folds them
 * into the rollups, so the big screen moves. Returns a stop function.
 */
export function startLiveSimulator(db: Database, bus: LiveBus, options: LiveSimulatorOptions): () => void {
  const log = options.log ?? ((line: string) => console.error(line));
  let owed = 0;
  let busy = false;
  let sinceRollup = 0;
  const rollupEvery = options.rollupEveryMs ?? 10_000;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      owed += options.perMinute / 60;
      const count = Math.floor(owed);
      if (count > 0) {
        owed -= count;
        const events = await insertSimulatedEvents(db, { count, at: shanghaiWallClock(new Date()), vault: options.vault });
        for (const event of events) {
          bus.publish({
            kind: 'event',
            ...event,
            source: event.source as Source,
            item: (ITEMS as readonly string[]).includes(event.item) ? (event.item as Item) : 'government_services',
            publishedAt: Date.now(),
          });
        }
      }
      sinceRollup += 1000;
      if (sinceRollup >= rollupEvery) {
        sinceRollup = 0;
        await refreshRollups(db, {});
      }
    } catch (error) {
      log(`[live] simulator: ${(error as Error).message}`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), 1000);
  return () => clearInterval(timer);
}

