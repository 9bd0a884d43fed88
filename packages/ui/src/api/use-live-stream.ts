import { useEffect, useState } from 'react';
import { useApi } from './api-provider.tsx';
import type { LiveMessage } from './api-contract.ts';
import { onFirstPaint } from '../readiness.ts';

export type LiveStatus = 'connecting' | 'open' | 'error';

/**
 * The newest `max` messages of `live.stream` (SSE), newest first. EventSource reconnects by
 * itself after a drop; `status` says whether the stream is up. The stream opens after the first
 * meaningful paint: a ticker line a second is a re-render and repaint the map's first frame would
 * wait behind, and the feed only shows what happens from then on anyway.
 */
export function useLiveStream(max = 30): { messages: LiveMessage[]; status: LiveStatus } {
  const api = useApi();
  const [messages, setMessages] = useState<LiveMessage[]>([]);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  useEffect(() => {
    let subscription: { unsubscribe: () => void } | null = null;
    const stop = onFirstPaint(() => {
      subscription = api.live.stream.subscribe(undefined, {
        onStarted: () => setStatus('open'),
        onData: (message) => {
          setStatus('open');
          setMessages((previous) => [message, ...previous].slice(0, max));
        },
        onError: () => setStatus('error'),
      });
    });
    return () => {
      stop();
      subscription?.unsubscribe();
    };
  }, [api, max]);
  return { messages, status };
}
