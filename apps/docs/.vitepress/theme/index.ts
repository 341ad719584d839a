import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import { defineAsyncComponent } from 'vue';
import './custom.css';

/**
 * The default theme plus the two components the pages use by name. They load on demand, so
 * only the pages that use them download @qdrant-kit/core (and zod).
 */
const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component(
      'AccessMatrix',
      defineAsyncComponent(() => import('./components/AccessMatrix.vue')),
    );
    app.component(
      'KeyWorkbench',
      defineAsyncComponent(() => import('./components/KeyWorkbench.vue')),
    );
  },
};

export default theme;
