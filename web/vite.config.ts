import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** Anything under /api is personal data or session state: the service worker must never touch it. */
const API_PATH = /^\/api(\/|$)/;

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      // The icons are already precached by globPatterns below.
      includeManifestIcons: false,
      manifest: {
        name: 'Homeward',
        short_name: 'Homeward',
        description: 'Case management for people returned from Syria and Iraq',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f7f9',
        theme_color: '#1f3a5f',
        icons: [
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: '/icons/icon-maskable.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'maskable' },
        ],
      },
      workbox: {
        // Only the built shell (HTML, JS, CSS, icons) is precached. There is deliberately no
        // runtimeCaching entry: API answers carry personal data and must never sit in a cache.
        globPatterns: ['**/*.{js,css,html,svg}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [API_PATH],
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        // autoUpdate with a plain registration script: a new version takes over at once.
        skipWaiting: true,
        clientsClaim: true,
      },
      devOptions: { enabled: false },
    }),
  ],
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 400,
  },
});
