import { useCallback, useEffect, useState } from 'react';
import { nextCrumbs, type Crumb } from './breadcrumbs.tsx';

function unitFromUrl(): string | null {
  if (typeof window === 'undefined') return null;
  const unit = new URLSearchParams(window.location.search).get('unit');
  return unit && /^\d{4,15}$/.test(unit) ? unit : null;
}

/**
 * The drill-down path from a root unit, mirrored in the URL (`?unit=`) so a reload or a shared
 * link opens the same view. The URL may name any unit: the server decides whether the user
 * may see it (and the dashboard shows its refusal).
 */
export function useDrillPath(root: Crumb) {
  const [path, setPath] = useState<Crumb[]>(() => {
    const fromUrl = unitFromUrl();
    if (!fromUrl || fromUrl === root.code) return [root];
    return fromUrl.startsWith(root.code) ? [root, { code: fromUrl, name: fromUrl }] : [{ code: fromUrl, name: fromUrl }];
  });

  const current = path[path.length - 1]!;

  useEffect(() => {
    const url = new URL(window.location.href);
    if (current.code === root.code) url.searchParams.delete('unit');
    else url.searchParams.set('unit', current.code);
    window.history.replaceState(null, '', url);
  }, [current.code, root.code]);

  const select = useCallback((crumb: Crumb) => setPath((p) => nextCrumbs(p, crumb)), []);
  const reset = useCallback((crumb: Crumb) => setPath([crumb]), []);
  /** Fill in the display name of a crumb that came from the URL. */
  const rename = useCallback(
    (code: string, name: string) => setPath((p) => (p.some((c) => c.code === code && c.name !== name) ? p.map((c) => (c.code === code ? { code, name } : c)) : p)),
    [],
  );
  return { path, current, select, reset, rename };
}
