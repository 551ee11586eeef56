// Builds the console UI. Root is renderer/; output goes to dist/renderer, which web mode serves over HTTP and
// Electron loads from file:// — hence the relative base ('./'), so asset URLs resolve next to index.html in both.
// Vite 8 transforms TSX itself (tsconfig "jsx": "react-jsx"), so no React plugin is needed.
// Paths come from import.meta.dirname (no node:path import: the renderer layer's lint rule bans Node modules,
// and this file is the only renderer file that runs in Node).
//
// `--mode bench` builds the UI benchmark page (bench.html + the synthetic engine) into dist/renderer-bench
// instead, so the shipped UI never contains benchmark code.
import { defineConfig } from 'vite';

const rendererRoot = import.meta.dirname;

export default defineConfig(({ mode }) => ({
  root: rendererRoot,
  base: './',
  build: {
    outDir: `${rendererRoot}/../dist/${mode === 'bench' ? 'renderer-bench' : 'renderer'}`,
    emptyOutDir: true,
    sourcemap: mode !== 'bench',
    // The UI runs only in Electron's Chromium and in a current Chromium in web mode.
    target: 'chrome130',
    // One bundle is fine for a desktop app loaded from disk; the warning is about web page load time.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      input: `${rendererRoot}/${mode === 'bench' ? 'bench' : 'index'}.html`,
    },
  },
  server: { host: '127.0.0.1', strictPort: false },
}));
