import { AuthGate, Stage, useI18n } from '@cityops/ui';
import { CommandScreen } from './command-screen.tsx';
import './command.css';

export function App() {
  const { t } = useI18n();
  return (
    <div className="co-theme-dark co-app">
      <AuthGate title={t('app.cityCommand')}>
        {(user) => (
          <Stage width={1920} height={1080} widen>
            <CommandScreen user={user} />
          </Stage>
        )}
      </AuthGate>
    </div>
  );
}
