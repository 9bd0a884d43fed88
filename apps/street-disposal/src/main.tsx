import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider, I18nProvider, setFirstPaintCharts } from '@cityops/ui';
import '@cityops/ui/styles.css';
import { App } from './app.tsx';

// First paint = map drawn + these 2 charts finished (see readiness.ts; `pnpm bench -- --only dashboards`).
setFirstPaintCharts(2);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <ApiProvider>
        <App />
      </ApiProvider>
    </I18nProvider>
  </StrictMode>,
);
