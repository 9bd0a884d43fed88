import { AuthGate, useI18n } from '@cityops/ui';
import { StreetScreen } from './street-screen.tsx';
import './street.css';

export function App() {
  const { t } = useI18n();
  return (
    <div className="co-theme-light co-app">
      <AuthGate title={t('app.streetDisposal')}>{(user) => <StreetScreen user={user} />}</AuthGate>
    </div>
  );
}
