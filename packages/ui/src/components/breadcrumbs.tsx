export interface Crumb {
  code: string;
  name: string;
}

/** city → district → street → community → grid; every crumb but the last navigates back up. */
export function Breadcrumbs({ items, onSelect }: { items: readonly Crumb[]; onSelect: (code: string) => void }) {
  return (
    <nav className="co-breadcrumbs" aria-label="breadcrumbs">
      {items.map((item, index) => {
        const last = index === items.length - 1;
        return (
          <span key={item.code} className="co-crumb">
            {last ? (
              <span aria-current="page">{item.name}</span>
            ) : (
              <button type="button" className="co-link-button" onClick={() => onSelect(item.code)}>
                {item.name}
              </button>
            )}
            {last ? null : <span className="co-crumb-sep">›</span>}
          </span>
        );
      })}
    </nav>
  );
}

/**
 * The path after selecting `crumb`: its ancestors already on the path, then itself. Covers
 * drilling down (append), going back up (truncate) and switching to a sibling (replace).
 */
export function nextCrumbs(path: readonly Crumb[], crumb: Crumb): Crumb[] {
  return [...path.filter((c) => c.code !== crumb.code && crumb.code.startsWith(c.code)), crumb];
}
