import { createApp } from 'vue'
// Element Plus components are imported where templates use them
// (vite.config.js); the whole stylesheet comes first, before ours.
import 'element-plus/dist/index.css'
import './styles/main.css'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'

createApp(App).use(i18n).use(router).mount('#app')
