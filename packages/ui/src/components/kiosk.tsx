import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../i18n.tsx';
import { useFirstPaintDone } from '../map/use-first-paint.ts';

/** True when the dashboard runs as an unattended wall screen (`?kiosk=1`). */
export function isKioskMode(): boolean {
  return typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('kiosk');
}

/**
 * A kiosk period set on the wall's URL in seconds (`?kiosk=1&rotate=20&refresh=120`), so the
 * operators can pace a wall without a build; bounded to 2 s … 1 h, else `defaultMs`.
 */
export function kioskPeriodMs(name: 'rotate' | 'refresh', defaultMs: number): number {
  if (typeof window === 'undefined') return defaultMs;
  const seconds = Number(new URLSearchParams(window.location.search).get(name));
  return Number.isFinite(seconds) && seconds >= 2 && seconds <= 3600 ? seconds * 1000 : defaultMs;
}

/**
 * Keeps a wall screen fresh: refetches every `intervalMs`, and at once when the network
 * comes back. Queries keep their last data while failing, so a drop never blanks the screen.
 * Starts after the first meaningful paint, like every kiosk timer.
 */
export function useAutoRefresh(enabled: boolean, intervalMs = 5 * 60_000): void {
  const queryClient = useQueryClient();
  const painted = useFirstPaintDone();
  useEffect(() => {
    if (!enabled || !painted) return undefined;
    const refresh = () => void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'auth.me' });
    const timer = window.setInterval(refresh, intervalMs);
    window.addEventListener('online', refresh);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('online', refresh);
    };
  }, [enabled, painted, intervalMs, queryClient]);
}

/** Cycles 0..count-1 every `intervalMs` (view rotation on a kiosk), from the first meaningful paint on. */
export function useRotation(count: number, intervalMs: number, enabled: boolean): number {
  const [index, setIndex] = useState(0);
  const painted = useFirstPaintDone();
  useEffect(() => {
    if (!enabled || !painted || count < 2) return undefined;
    const timer = window.setInterval(() => setIndex((i) => (i + 1) % count), intervalMs);
    return () => window.clearInterval(timer);
  }, [count, intervalMs, enabled, painted]);
  return index;
}

/** A banner while the browser is offline. */
export function OfflineBanner() {
  const { t } = useI18n();
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online ? null : (
    <div className="co-offline" role="status">
      {t('state.network')}
    </div>
  );
}
