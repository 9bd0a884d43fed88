import { AuthGate, useI18n } from '@cityops/ui';
import { HubScreen } from './hub-screen.tsx';
import './hub.css';

export function App() {
  const { t } = useI18n();
  return (
    <div className="co-theme-light co-app">
      <AuthGate title={t('app.districtHub')}>{(user) => <HubScreen user={user} />}</AuthGate>
    </div>
  );
}
