import type { ReactNode } from 'react';
import { useMe } from '../api/queries.ts';
import type { SessionUser } from '../api/api-contract.ts';
import { ErrorState, LoadingState } from './states.tsx';
import { LoginForm } from './login-form.tsx';

/** Shows the login form until the server reports a session, then the dashboard for that user. */
export function AuthGate({ title, children }: { title: string; children: (user: SessionUser) => ReactNode }) {
  const me = useMe();
  if (me.isPending) return <LoadingState />;
  if (me.error) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data?.user) return <LoginForm title={title} />;
  return <>{children(me.data.user)}</>;
}
