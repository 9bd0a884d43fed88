import { useEffect, useState } from 'react';
import { useApi } from './api-provider.tsx';
import type { LiveMessage } from './api-contract.ts';

export type LiveStatus = 'connecting' | 'open' | 'error';

/**
 * The newest `max` messages of `live.stream` (SSE), newest first. EventSource reconnects by
 * itself after a drop; `status` says whether the stream is up.
 */
export function useLiveStream(max = 30): { messages: LiveMessage[]; status: LiveStatus } {
  const api = useApi();
  const [messages, setMessages] = useState<LiveMessage[]>([]);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  useEffect(() => {
    const subscription = api.live.stream.subscribe(undefined, {
      onStarted: () => setStatus('open'),
      onData: (message) => {
        setStatus('open');
        setMessages((previous) => [message, ...previous].slice(0, max));
      },
      onError: () => setStatus('error'),
    });
    return () => subscription.unsubscribe();
  }, [api, max]);
  return { messages, status };
}
