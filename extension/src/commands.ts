import * as host from './host';
import { t } from './i18n/strings';
import { copilotStore } from './panel/store';
import { storeStructuredReport } from './sr/storeReport';

/** Commands our toolbar buttons run (api.md 14.3.4 for the SR). */
export function getCommandsModule() {
  return {
    definitions: {
      cxrToggleHeatmap: {
        commandFn: () => {
          const lang = copilotStore().get().lang;
          if (!host.hasHeatmap()) { host.notify(lang === 'zh' ? '当前没有热力图(需要病灶模型)。' : 'No heatmap yet (it needs the lesion model).', 'warning'); return; }
          host.toggleHeatmap();
        },
      },
      cxrStoreSr: {
        commandFn: async () => {
          const store = copilotStore();
          const lang = store.get().lang;
          const sessionId = store.sessionId();
          const image = store.currentImage();
          if (!sessionId || !image) { host.notify(t('noImage', lang), 'warning'); return; }
          try {
            const stored = await storeStructuredReport(store.api, sessionId, image, lang);
            host.notify(t(stored ? 'srStored' : 'srDownloaded', lang), 'success');
          } catch (e) {
            host.notify(`${(e as Error).message}`, 'error');
          }
        },
      },
    },
    defaultContext: 'VIEWER',
  };
}
