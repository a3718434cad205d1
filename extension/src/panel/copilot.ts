import { CopilotApi } from '../api/client';
import * as host from '../host';
import { CopilotStore, type HostPort } from './store';

/** The page's viewer, as the store sees it. */
const pageHost: HostPort = {
  ...host,
  dicomwebEnabled: () => host.cxrConfig().dicomweb !== false,
  memory: {
    get: (key) => {
      try {
        return window.sessionStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set: (key, value) => {
      try {
        window.sessionStorage.setItem(key, value);
      } catch {
        /* storage off: no resume */
      }
    },
  },
};

let singleton: CopilotStore | null = null;
/** One store per page: the panel, the commands and the mode hooks share it. */
export function copilotStore(): CopilotStore {
  singleton ??= new CopilotStore(new CopilotApi(host.cxrConfig().apiBase ?? '/api/v1'), pageHost);
  return singleton;
}
