import type { ReactNode } from 'react';
import { ROLE_LABELS } from '@cityops/domain/scope';
import type { SessionUser } from '../api/api-contract.ts';
import { useLogout } from '../api/queries.ts';
import { LangSwitch, useI18n } from '../i18n.tsx';

/** Title bar: dashboard name, scope, user, language switch and sign-out. */
export function AppHeader({ title, subtitle, user, children }: { title: string; subtitle?: ReactNode; user: SessionUser; children?: ReactNode }) {
  const { t } = useI18n();
  const logout = useLogout();
  return (
    <header className="co-header">
      <div className="co-header-title">
        <h1>{title}</h1>
        {subtitle ? <div className="co-header-subtitle">{subtitle}</div> : null}
      </div>
      <div className="co-header-center">{children}</div>
      <div className="co-header-user">
        <span title={ROLE_LABELS[user.role]}>
          {user.displayName} · {user.unitName}
        </span>
        <LangSwitch />
        <button type="button" className="co-link-button" onClick={() => logout.mutate()}>
          {t('logout')}
        </button>
      </div>
    </header>
  );
}
