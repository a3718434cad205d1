/**
 * Everything that needs the host's Cornerstone. index.ts imports this module eagerly inside
 * preRegistration, because window.cornerstone* only exists once @ohif/extension-cornerstone has
 * been evaluated (ohif-integration.md §1, "Order of evaluation").
 */
import * as host from './host';
import type { OhifHookArgs } from './types/ohif';
import { copilotStore } from './panel/copilot';

export { PanelIsland } from './panel/PanelIsland';
export { getCommandsModule } from './commands';

/** Registers our tools and measurement mappings with the host, once per page. */
export function register(args: OhifHookArgs): void {
  host.setOhifContext(args);
  host.registerTools();
  host.registerMeasurementMappings();
}

/** Mode exit: forget the conversation and everything drawn for it. */
export function onModeExit(): void {
  copilotStore().stop();
  host.clearAll();
}
