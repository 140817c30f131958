import { defineConfig } from 'vite';

// Everything is bundled into dist/ (served by the .NET host under /assets/); nothing is fetched at run time.
export default defineConfig({
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000, sourcemap: false },
});
