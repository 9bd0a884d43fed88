import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
// Build tooling shared by the three dashboards (a relative path: vite bundles it into the config).
import { bootEntryPlugin } from '../../packages/ui/src/build/boot-entry-plugin.ts';

// The server serves the built app under /street-disposal/; in dev, /api and /geo go to a running
// `pnpm cityops serve` (override with CITYOPS_SERVER_URL).
const serverUrl = process.env.CITYOPS_SERVER_URL ?? 'http://localhost:8787';

export default defineConfig({
  base: '/street-disposal/',
  plugins: [react(), bootEntryPlugin({ entry: 'src/boot.ts' })],
  server: { proxy: { '/api': serverUrl, '/geo': serverUrl } },
  build: { outDir: 'dist', chunkSizeWarningLimit: 2500 },
});
