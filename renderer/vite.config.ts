// Builds the console UI. Root is renderer/; output goes to dist/renderer, which web mode serves over HTTP and
// Electron loads from file:// — hence the relative base ('./'), so asset URLs resolve next to index.html in both.
// Vite 8 transforms TSX itself (tsconfig "jsx": "react-jsx"), so no React plugin is needed.
// Paths come from import.meta.dirname (no node:path import: the renderer layer's lint rule bans Node modules,
// and this file is the only renderer file that runs in Node).
import { defineConfig } from 'vite';

const rendererRoot = import.meta.dirname;

export default defineConfig({
  root: rendererRoot,
  base: './',
  build: {
    outDir: `${rendererRoot}/../dist/renderer`,
    emptyOutDir: true,
    sourcemap: true,
    // The UI runs only in Electron's Chromium and in a current Chromium in web mode.
    target: 'chrome130',
  },
  server: { host: '127.0.0.1', strictPort: false },
});
