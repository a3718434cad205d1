import * as host from './host';
import { t } from './i18n/strings';
import { copilotStore } from './panel/copilot';
import { storeStructuredReport } from './sr/storeReport';

/** Stores the session's SR (api.md 14.3.4); shared by the toolbar button and the panel's chip. */
export async function storeSr(): Promise<void> {
  const store = copilotStore();
  const lang = store.get().lang;
  const sessionId = store.sessionId();
  const image = store.currentImage();
  if (!sessionId || !image) {
    host.notify(t('noImage', lang), 'warning');
    return;
  }
  try {
    const stored = await storeStructuredReport(store.api, sessionId, image, lang);
    host.notify(t(stored ? 'srStored' : 'srDownloaded', lang), stored ? 'success' : 'warning');
  } catch (e) {
    host.notify(`${(e as Error).message}`, 'error');
  }
}

/** Commands our toolbar buttons run. */
export function getCommandsModule() {
  return {
    definitions: {
      cxrToggleHeatmap: {
        commandFn: () => {
          const store = copilotStore();
          const lang = store.get().lang;
          if (!host.hasHeatmap()) {
            host.notify(
              lang === 'zh' ? '当前没有热力图(需要病灶模型)。' : 'No heatmap yet (it needs the lesion model).',
              'warning',
            );
            return;
          }
          store.toggleHeatmap();
        },
      },
      cxrStoreSr: { commandFn: storeSr },
    },
    defaultContext: 'VIEWER',
  };
}
