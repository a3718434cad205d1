/**
 * CXR Copilot extension for OHIF 3.13 — table of contents.
 *   host/    the only code touching OHIF services and Cornerstone
 *   tools/   one Cornerstone display tool per annotation kind of api.md §11
 *   api/     typed client of /api/v1
 *   panel/   the chat panel (own React root inside the host's panel)
 *   sr/      store the session's DICOM SR
 *   i18n/    all zh/en strings
 * This file must not import Cornerstone-dependent code at top level (see impl.ts).
 */
import { getHangingProtocolModule } from './hangingProtocol';
import type { OhifHookArgs } from './types/ohif';

export const EXTENSION_ID = 'cxr-copilot-extension';
type Impl = typeof import('./impl');
let impl: Impl | null = null;
const need = (): Impl => {
  if (!impl) throw new Error('CXR Copilot: used before preRegistration');
  return impl;
};

const extension = {
  id: EXTENSION_ID,
  version: '0.1.0',

  async preRegistration(args: OhifHookArgs) {
    impl = await import(/* webpackMode: "eager" */ './impl');
    impl.register(args);
  },

  onModeExit() {
    impl?.onModeExit();
  },

  getPanelModule() {
    return [
      {
        name: 'chat',
        iconName: 'tab-patient-info',
        iconLabel: 'CXR Copilot',
        label: 'CXR Copilot',
        component: need().PanelIsland,
      },
    ];
  },

  getCommandsModule() {
    return need().getCommandsModule();
  },

  getHangingProtocolModule,
};

export default extension;
