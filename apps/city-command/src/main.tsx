import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider, I18nProvider } from '@cityops/ui';
import '@cityops/ui/styles.css';
import { App } from './app.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <ApiProvider>
        <App />
      </ApiProvider>
    </I18nProvider>
  </StrictMode>,
);
