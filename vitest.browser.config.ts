import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { bridgePlugin } from './test/support/bridge-plugin';

// Layer 2: React components in real Chromium, against the real handlers through the bridge.
export default defineConfig({
  plugins: [react(), bridgePlugin()],
  // Pre-bundle everything the renderer imports, so Vite never re-optimises (and reloads the page)
  // in the middle of a test run on a cold cache.
  optimizeDeps: {
    include: [
      'react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'react-router',
      'i18next', 'react-i18next', 'vitest-browser-react', 'pdfjs-dist', '@tanstack/react-virtual', 'axe-core',
      ...['Alert', 'Badge', 'Breadcrumb', 'Button', 'CallOut', 'Card', 'Footer', 'Header', 'Input', 'Select',
        'SkipLinks', 'Stepper', 'Table', 'spa'].map((c) => `@codegouvfr/react-dsfr/${c}`),
    ],
  },
  test: {
    include: ['test/renderer/**/*.test.tsx'],
    testTimeout: 30_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
