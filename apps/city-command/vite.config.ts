import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves the built app under /city-command/; in dev, /api and /geo go to a running
// `pnpm cityops serve` (override with CITYOPS_SERVER_URL).
const serverUrl = process.env.CITYOPS_SERVER_URL ?? 'http://localhost:8787';

export default defineConfig({
  base: '/city-command/',
  plugins: [react()],
  server: { proxy: { '/api': serverUrl, '/geo': serverUrl } },
  build: { outDir: 'dist', chunkSizeWarningLimit: 2500 },
});
