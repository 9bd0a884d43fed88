/**
 * Vite plugin for the dashboards' boot module (first-screen-boot.ts): builds `src/boot.ts` as an
 * entry of its own and loads it with a module script ahead of the app bundle's, so the
 * first screen's requests start as soon as a few hundred bytes arrived instead of after the
 * bundle (1.7 MB) was downloaded, compiled and run. (Vite folds every module script of
 * index.html into one entry, so the boot script cannot simply be listed there.) Not `async`:
 * module scripts run in document order, so the boot has always set up `window.__cityopsBoot`
 * before the app's `prefetchFirstScreen` looks for it (an async boot lost that race under load).
 * No dependency on vite's types: the app configs pass the returned object to `plugins`.
 */
interface OutputChunkLike {
  type: 'chunk' | 'asset';
  name?: string;
  isEntry?: boolean;
  fileName: string;
}

export const BOOT_ENTRY_NAME = 'boot';

export function bootEntryPlugin(options: { entry: string }) {
  let base = '/';
  return {
    name: 'cityops-boot-entry',
    apply: 'build' as const,
    config() {
      return { build: { rollupOptions: { input: { index: 'index.html', [BOOT_ENTRY_NAME]: options.entry } } } };
    },
    configResolved(config: { base: string }) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post' as const,
      handler(_html: string, ctx: { bundle?: Record<string, OutputChunkLike> }) {
        const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.isEntry && c.name === BOOT_ENTRY_NAME);
        if (!chunk) throw new Error('boot entry chunk missing from the bundle');
        return [{ tag: 'script', attrs: { type: 'module', crossorigin: true, src: `${base}${chunk.fileName}` }, injectTo: 'head-prepend' as const }];
      },
    },
  };
}
