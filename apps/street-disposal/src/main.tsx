import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider, I18nProvider, createApiClient, createQueryClient, prefetchFirstScreen, setFirstPaintCharts } from '@cityops/ui';
import '@cityops/ui/styles.css';
import { App } from './app.tsx';
import { FIRST_SCREEN } from './first-screen.ts';

// First paint = map drawn + these 2 charts finished (see readiness.ts; `pnpm bench -- --only dashboards`).
setFirstPaintCharts(2);

// The first screen's data: answers the boot module (boot.ts) already requested, the rest now,
// in parallel with React and the map's WebGL start-up.
const api = createApiClient();
const queryClient = createQueryClient();
void prefetchFirstScreen(queryClient, api, FIRST_SCREEN);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <ApiProvider api={api} queryClient={queryClient}>
        <App />
      </ApiProvider>
    </I18nProvider>
  </StrictMode>,
);
