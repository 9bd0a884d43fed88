/**
 * Reads a tRPC subscription over server-sent events the way a browser's EventSource would:
 * GET with the session cookie, then `data:` lines parsed as JSON.
 */
export interface SseSubscription<T> {
  messages: T[];
  /** `serialized-error` events (e.g. UNAUTHORIZED), as sent. */
  errors: { data?: { code?: string } }[];
  /** Resolves when `predicate` holds for a received message, or rejects after `timeoutMs`. */
  waitFor(predicate: (message: T) => boolean, timeoutMs: number): Promise<T>;
  close(): void;
}

export async function subscribeSse<T>(url: string, cookie: string | null): Promise<SseSubscription<T>> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...(cookie ? { cookie } : {}) }, signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`SSE ${response.status}`);
  const messages: T[] = [];
  const errors: { data?: { code?: string } }[] = [];
  const waiters: { predicate: (m: T) => boolean; resolve: (m: T) => void }[] = [];
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((line) => line.startsWith('event:'))?.slice(6).trim();
          const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n');
          if (!data || event === 'connected' || event === 'ping') continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(data);
          } catch {
            continue;
          }
          if (event === 'serialized-error') {
            errors.push(parsed as { data?: { code?: string } });
            continue;
          }
          const message = parsed as T;
          messages.push(message);
          for (const waiter of [...waiters]) {
            if (waiter.predicate(message)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(message);
            }
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    messages,
    errors,
    waitFor(predicate, timeoutMs) {
      const existing = messages.find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          const index = waiters.indexOf(waiter);
          if (index >= 0) {
            waiters.splice(index, 1);
            reject(new Error(`no matching SSE message within ${timeoutMs} ms (${messages.length} received)`));
          }
        }, timeoutMs);
      });
    },
    close() {
      controller.abort();
    },
  };
}
