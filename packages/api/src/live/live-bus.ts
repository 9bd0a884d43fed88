import { EventEmitter, on } from 'node:events';
import { scopeCoversUnit, type Item, type Scope, type Source } from '@cityops/domain';

/** What the big screen hears in real time. Carries no personal data. */
export type LiveMessage =
  | {
      kind: 'event';
      id: number;
      source: Source;
      item: Item;
      urgency: string;
      districtCode: string;
      streetCode: string;
      communityCode: string;
      gridCode: string;
      lng: number;
      lat: number;
      receivedAt: string;
      summary: string;
      publishedAt: number;
    }
  | {
      kind: 'alert';
      id: string;
      item: Item;
      unitCode: string;
      severity: string;
      title: string;
      publishedAt: number;
    }
  | {
      kind: 'work_order';
      id: string;
      item: Item;
      unitCode: string;
      state: string;
      action: string;
      publishedAt: number;
    };

function unitOf(message: LiveMessage): string {
  return message.kind === 'event' ? message.gridCode : message.unitCode;
}

/** The data-layer rule for live messages: the same territory and items as every query. */
export function isVisibleTo(scope: Scope, message: LiveMessage): boolean {
  if (!scopeCoversUnit(scope, unitOf(message))) return false;
  return !scope.items || scope.items.includes(message.item);
}

/** An in-process publish/subscribe bus; one per server. */
export class LiveBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open big screen is one listener; the default cap of 10 would warn spuriously.
    this.emitter.setMaxListeners(0);
  }

  publish(message: LiveMessage): void {
    this.emitter.emit('message', message);
  }

  listenerCount(): number {
    return this.emitter.listenerCount('message');
  }

  /** Messages visible to `scope`, until `signal` aborts. */
  async *subscribe(scope: Scope, signal: AbortSignal | undefined): AsyncGenerator<LiveMessage> {
    const options = signal ? { signal } : {};
    try {
      for await (const [message] of on(this.emitter, 'message', options)) {
        if (isVisibleTo(scope, message as LiveMessage)) yield message as LiveMessage;
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  }
}
