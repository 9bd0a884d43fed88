import { UNIT_LEVELS, codeLengthOf } from '@cityops/domain/units';

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

/**
 * The path a link to `code` opens from `root`: the root, every level between them (named by
 * their codes until the names arrive), then the unit. A unit outside the root stands alone
 * (the server decides whether the user may see it).
 */
export function crumbsFromCode(root: Crumb, code: string): Crumb[] {
  if (code === root.code) return [root];
  if (!code.startsWith(root.code)) return [{ code, name: code }];
  const between = UNIT_LEVELS.map(codeLengthOf)
    .filter((length) => length > root.code.length && length < code.length)
    .map((length) => ({ code: code.slice(0, length), name: code.slice(0, length) }));
  return [root, ...between, { code, name: code }];
}
