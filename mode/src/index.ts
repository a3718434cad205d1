/**
 * The CXR Copilot mode: one chest radiograph, the usual reading tools, our chat panel and OHIF's
 * measurements panel on the right. Route: /cxr?StudyInstanceUIDs=… (and /cxr/dicomlocal?… for files).
 */
import { CXR_TOOL_NAMES } from '../../extension/src/tools/names';
import { ohifLanguage } from '../../extension/src/host/language';
import { t } from '../../extension/src/i18n/strings';
import type { CommandsManager, ExtensionManager, ServicesManager } from '../../extension/src/types/ohif';

const MODE_ID = 'cxr-copilot';
const RADIOGRAPH_MODALITIES = ['CR', 'DX', 'RG'];

const ohif = {
  layout: '@ohif/extension-default.layoutTemplateModule.viewerLayout',
  sopClassHandler: '@ohif/extension-default.sopClassHandlerModule.stack',
  measurements: '@ohif/extension-cornerstone.panelModule.panelMeasurement',
  viewport: '@ohif/extension-cornerstone.viewportModule.cornerstone',
};
// OHIF's SR extension lets a stored CXR Copilot SR be reopened (ohif-integration.md pitfall 12).
const dicomsr = {
  sopClassHandler: '@ohif/extension-cornerstone-dicom-sr.sopClassHandlerModule.dicom-sr',
  viewport: '@ohif/extension-cornerstone-dicom-sr.viewportModule.dicom-sr',
};
const CHAT_PANEL = 'cxr-copilot-extension.panelModule.chat';
/** Stock buttons we show, by their id in 'cornerstone.toolbarButtons'. */
const STOCK_BUTTONS = ['Zoom', 'Pan', 'WindowLevel', 'Length', 'Probe', 'EllipticalROI', 'PlanarFreehandROI', 'Reset'];
/** Our buttons, labelled in OHIF's language (OHIF reloads the page when its language changes). */
function ourButtons() {
  const lang = ohifLanguage();
  return [
    {
      id: 'CxrHeatmap',
      uiType: 'ohif.toolButton',
      props: {
        type: 'action',
        icon: 'tool-fusion-color',
        label: t('heatmap', lang),
        tooltip: t('heatmapTip', lang),
        commands: { commandName: 'cxrToggleHeatmap' },
        evaluate: 'evaluate.action',
      },
    },
    {
      id: 'CxrStoreSr',
      uiType: 'ohif.toolButton',
      props: {
        type: 'action',
        icon: 'icon-transferring',
        label: t('storeSrShort', lang),
        tooltip: t('storeSr', lang),
        commands: { commandName: 'cxrStoreSr' },
        evaluate: 'evaluate.action',
      },
    },
  ];
}

interface Hook {
  servicesManager: ServicesManager;
  extensionManager: ExtensionManager;
  commandsManager: CommandsManager;
}

function initToolGroup({
  extensionManager,
  toolGroupService,
}: {
  extensionManager: ExtensionManager;
  toolGroupService: ServicesManager['services']['toolGroupService'];
}): void {
  const { toolNames, Enums } = extensionManager.getModuleEntry(
    '@ohif/extension-cornerstone.utilityModule.tools',
  ).exports;
  const primary = [{ mouseButton: Enums.MouseBindings.Primary }];
  toolGroupService.createToolGroupAndAddTools('default', {
    active: [
      { toolName: toolNames.WindowLevel, bindings: primary },
      { toolName: toolNames.Pan, bindings: [{ mouseButton: Enums.MouseBindings.Auxiliary }] },
      { toolName: toolNames.Zoom, bindings: [{ mouseButton: Enums.MouseBindings.Secondary }, { numTouchPoints: 2 }] },
    ],
    passive: [
      { toolName: toolNames.Length },
      { toolName: toolNames.Probe },
      { toolName: toolNames.EllipticalROI },
      { toolName: toolNames.PlanarFreehandROI },
    ],
    // Display-only: drawn whatever tool is active.
    enabled: Object.values(CXR_TOOL_NAMES).map((toolName) => ({ toolName })),
  });
}

function onModeEnter(this: { _unsub?: (() => void)[] }, { servicesManager, extensionManager }: Hook): void {
  const { measurementService, toolbarService, toolGroupService, customizationService } = servicesManager.services;
  measurementService.clearMeasurements();
  initToolGroup({ extensionManager, toolGroupService });
  // Register only the buttons we show: evaluating every stock button crashed the mode (pitfall 2).
  const stock: { id: string }[] = customizationService.getCustomization('cornerstone.toolbarButtons') ?? [];
  const buttons = [...STOCK_BUTTONS.map((id) => stock.find((b) => b.id === id)).filter((b) => !!b), ...ourButtons()];
  toolbarService.register(buttons);
  toolbarService.updateSection(
    toolbarService.sections.primary,
    buttons.map((b) => b.id),
  );
}

function onModeExit({ servicesManager }: Hook): void {
  const {
    toolGroupService,
    syncGroupService,
    segmentationService,
    cornerstoneViewportService,
    uiDialogService,
    uiModalService,
  } = servicesManager.services;
  uiDialogService?.hideAll?.();
  uiModalService?.hide?.();
  toolGroupService.destroy();
  syncGroupService.destroy();
  segmentationService.destroy();
  cornerstoneViewportService.destroy?.();
}

const modeInstance = {
  id: MODE_ID,
  routeName: 'cxr',
  displayName: 'CXR Copilot',
  hide: false,
  onModeEnter,
  onModeExit,
  validationTags: { study: [], series: [] },
  /** Offered for studies that contain a radiograph (CR, DX or RG among their modalities). */
  isValidMode({ modalities }: { modalities: string }) {
    const list = (modalities ?? '').split(/[\\/]/);
    const valid = RADIOGRAPH_MODALITIES.some((m) => list.includes(m));
    return { valid, description: valid ? 'Chest radiograph' : 'CXR Copilot needs a CR or DX image' };
  },
  routes: [
    {
      path: 'cxr',
      layoutTemplate: () => ({
        id: ohif.layout,
        props: {
          leftPanels: [],
          leftPanelClosed: true,
          rightPanels: [CHAT_PANEL, ohif.measurements],
          rightPanelClosed: false,
          rightPanelResizable: true,
          viewports: [
            { namespace: ohif.viewport, displaySetsToDisplay: [ohif.sopClassHandler] },
            { namespace: dicomsr.viewport, displaySetsToDisplay: [dicomsr.sopClassHandler] },
          ],
        },
      }),
    },
  ],
  // Only host-importable ids may be listed here (pitfall 3); ours is loaded from window.config.
  extensions: {
    '@ohif/extension-default': '^3.0.0',
    '@ohif/extension-cornerstone': '^3.0.0',
    '@ohif/extension-cornerstone-dicom-sr': '^3.0.0',
  },
  hangingProtocol: 'cxr-single',
  sopClassHandlers: [ohif.sopClassHandler, dicomsr.sopClassHandler],
};

const mode = {
  id: MODE_ID,
  modeFactory() {
    return modeInstance;
  },
  modeInstance,
};

export default mode;
