import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { bridgePlugin } from './test/support/bridge-plugin';

// `npm run dev:web`: the renderer in any browser with live reload, against the real handlers
// through the HTTP bridge (WEB_DB=file, or a fresh demo store in a temp folder).
export default defineConfig({
  root: 'renderer',
  plugins: [react(), bridgePlugin({ injectShim: true })],
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
});
