import type { ReactNode } from 'react';

/** A titled card; the dashboards are grids of these. */
export function Panel({
  title,
  extra,
  className,
  children,
}: {
  title?: ReactNode;
  extra?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section className={`co-panel ${className ?? ''}`}>
      {title || extra ? (
        <header className="co-panel-header">
          <h2 className="co-panel-title">{title}</h2>
          {extra ? <div className="co-panel-extra">{extra}</div> : null}
        </header>
      ) : null}
      <div className="co-panel-body">{children}</div>
    </section>
  );
}
