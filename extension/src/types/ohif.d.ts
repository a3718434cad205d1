import type { Types as CoreTypes } from '@cornerstonejs/core';

// The OHIF 3.13 objects our hooks receive. They are not importable modules (ohif-integration.md §2),
// so we type the members we call; Cornerstone itself is typed by the real @cornerstonejs/core and
// @cornerstonejs/tools 5.6.8 (type-only dev dependencies, the versions the OHIF 3.13.2 dist bundles;
// at run time webpack maps them to window.cornerstone / window.cornerstoneTools).
export interface OhifServices {
  measurementService: any;
  displaySetService: any;
  viewportGridService: {
    getActiveViewportId(): string | null | undefined;
    setActiveViewportId?(viewportId: string): void;
    /** OHIF 3.13: `viewports` is a Map of viewportId → { viewportId, displaySetInstanceUIDs, … }. */
    getState?(): { viewports?: Map<string, { viewportId: string; displaySetInstanceUIDs?: string[] }> };
    setDisplaySetsForViewports?(
      updates: { viewportId: string; displaySetInstanceUIDs: string[] }[],
    ): Promise<void> | void;
    subscribe(event: string, fn: (...args: unknown[]) => void): { unsubscribe(): void };
    EVENTS: Record<string, string>;
  };
  /** Cornerstone3D 5.6.8 viewports (CR/DX stacks in our mode). */
  cornerstoneViewportService: {
    getCornerstoneViewport(viewportId: string): CoreTypes.IStackViewport | null | undefined;
    getViewportIds?(): string[];
    subscribe(event: string, fn: (...args: unknown[]) => void): { unsubscribe(): void };
    destroy?(): void;
    EVENTS: Record<string, string>;
  };
  toolbarService: any;
  toolGroupService: any;
  customizationService: any;
  uiNotificationService?: { show(o: { title?: string; message: string; type?: string; duration?: number }): void };
  [name: string]: any;
}
export interface ServicesManager {
  services: OhifServices;
}
export interface ExtensionManager {
  getModuleEntry(id: string): any;
  getActiveDataSource(): OhifDataSource[];
  registeredExtensionIds: string[];
}
export interface CommandsManager {
  runCommand(name: string, options?: unknown, context?: string): unknown;
}
export interface OhifHookArgs {
  servicesManager: ServicesManager;
  extensionManager: ExtensionManager;
  commandsManager: CommandsManager;
  appConfig: { cxrCopilot?: CxrAppConfig; [k: string]: unknown };
}
/** Our block of window.config, written by the server (server/src/http/viewer.ts). */
export interface CxrAppConfig {
  apiBase?: string;
  dicomweb?: boolean;
  authRequired?: boolean;
}

/** The members of an OHIF 3.13 data source we call (extensions/default DicomWebDataSource). */
export interface OhifDataSource {
  getConfig?(): { name?: string; wadoRoot?: string; [k: string]: unknown } | undefined;
  /** DICOMweb: STOW-RS of a Part 10 ArrayBuffer or a naturalised dataset; dicomlocal: a blob download. */
  store: {
    dicom(dataset: ArrayBuffer | Record<string, unknown>, request?: unknown, dicomDict?: unknown): Promise<void> | void;
  };
  retrieve: {
    series: {
      metadata(o: {
        StudyInstanceUID: string;
        filters?: { seriesInstanceUID?: string[] };
        madeInClient?: boolean;
        returnPromises?: boolean;
      }): Promise<unknown>;
    };
  };
  deleteStudyMetadataPromise?(studyInstanceUID: string): void;
  /** QIDO-RS; `studies.search` maps `patientId` to PatientID (wildcards unless `disableWildcard`). */
  query?: {
    studies?: {
      search(params: { patientId?: string; studyInstanceUid?: string; disableWildcard?: boolean }): Promise<unknown[]>;
    };
  };
}
