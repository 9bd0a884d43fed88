import { useCallback, useEffect, useState } from 'react';
import { useQueries } from '@tanstack/react-query';
import { useApi } from '../api/api-provider.tsx';
import { unitQuery } from '../api/queries.ts';
import { crumbsFromCode, nextCrumbs, type Crumb } from './breadcrumbs.tsx';

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
  const [crumbs, setPath] = useState<Crumb[]>(() => crumbsFromCode(root, unitFromUrl() ?? root.code));
  // Crumbs from a link (or a reset to a bare code) carry their code as name; they are shown with
  // the unit's name once it arrives (the query the screens read for the current unit, so asked
  // for once).
  const api = useApi();
  const found = useQueries({ queries: crumbs.filter((c) => c.name === c.code).map((c) => unitQuery(api, c.code)) });
  const names = new Map(found.flatMap((r) => (r.data ? [[r.data.code, r.data.name] as const] : [])));
  const path = names.size ? crumbs.map((c) => (names.has(c.code) ? { code: c.code, name: names.get(c.code)! } : c)) : crumbs;
  const current = path[path.length - 1]!;

  useEffect(() => {
    const url = new URL(window.location.href);
    if (current.code === root.code) url.searchParams.delete('unit');
    else url.searchParams.set('unit', current.code);
    window.history.replaceState(null, '', url);
  }, [current.code, root.code]);

  const select = useCallback((crumb: Crumb) => setPath((p) => nextCrumbs(p, crumb)), []);
  const reset = useCallback((crumb: Crumb) => setPath([crumb]), []);
  return { path, current, select, reset };
}
