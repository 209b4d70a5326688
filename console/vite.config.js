import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The build goes straight into the module's classes: Maven packages it in the console jar, which the runner serves
// from the classpath at / (folder quiver-console/).
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'target/classes/quiver-console',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // Small images and fonts would otherwise become data: URLs, which the console's CSP (default-src 'self') refuses.
    assetsInlineLimit: 0,
    // one bundle (React, @rjsf and the validator): served once, cached for a year by its hashed name
    chunkSizeWarningLimit: 800,
  },
  server: {
    // npm run dev: the API of a running 'serve' (java -jar skill-runner/target/skill-runner.jar serve --sandbox)
    proxy: { '/api': 'http://127.0.0.1:8686' },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{js,jsx}'],
  },
});
