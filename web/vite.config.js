// Vite build of the MedSales web UI. The output (web/dist) is served by the
// C server under a strict Content-Security-Policy: no inline script or style,
// no eval. Vue's runtime-only build and vue-i18n's JIT message compiler (no
// `new Function`) keep the bundle within that policy.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus component by component: each <el-*> a template uses (and
    // v-loading) is imported where it is used, instead of the whole library
    // in the first download. Its stylesheet stays whole and first
    // (main.js), so that ours, after it, still wins. Our own components stay
    // imported by hand (dirs: []).
    Components({
      resolvers: [ElementPlusResolver({ importStyle: false })],
      dirs: [],
      dts: false,
    }),
  ],
  define: {
    __VUE_OPTIONS_API__: true,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __INTLIFY_JIT_COMPILATION__: true,
    __INTLIFY_DROP_MESSAGE_COMPILER__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0, // keep every asset a file of its own ('self')
    chunkSizeWarningLimit: 1600,
  },
  server: {
    // `npm run dev` against a local `medsales serve --listen 127.0.0.1:18080`
    proxy: { '/api': 'http://127.0.0.1:18080' },
  },
})
