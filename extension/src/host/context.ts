import type { CommandsManager, CxrAppConfig, ExtensionManager, OhifHookArgs, ServicesManager } from '../types/ohif';

/** The OHIF objects handed to preRegistration, kept for the rest of host/. Set once. */
let ctx: OhifHookArgs | null = null;

export function setOhifContext(args: OhifHookArgs): void {
  ctx = args;
}

function need(): OhifHookArgs {
  if (!ctx) throw new Error('CXR Copilot: OHIF context used before preRegistration');
  return ctx;
}

export const services = (): ServicesManager['services'] => need().servicesManager.services;
export const extensionManager = (): ExtensionManager => need().extensionManager;
export const commandsManager = (): CommandsManager => need().commandsManager;
export const cxrConfig = (): CxrAppConfig => need().appConfig.cxrCopilot ?? {};

/** A toast in OHIF's own notification area (falls back to the console). */
export function notify(message: string, type: 'info' | 'success' | 'error' | 'warning' = 'info'): void {
  const n = ctx?.servicesManager.services.uiNotificationService;
  if (n) n.show({ title: 'CXR Copilot', message, type, duration: 4000 });
  else console.info('[cxr-copilot]', message);
}
