// The host's Cornerstone3D 5.6.8, reached through webpack externals (window.cornerstone*).
// We declare only what we use, loosely: installing the real packages for types would pull a second,
// newer API surface than the one that runs (ohif-integration.md pitfall 13).
declare module '@cornerstonejs/core' {
  export type Point3 = [number, number, number];
  export const utilities: {
    imageToWorldCoords(imageId: string, p: [number, number]): Point3 | undefined;
    worldToImageCoords(imageId: string, p: Point3): [number, number] | undefined;
    uuidv4(): string;
  };
  export const metaData: { get(type: string, imageId: string): any };
  export const eventTarget: EventTarget;
  export function getEnabledElement(element: HTMLElement): any;
  export const Enums: any;
}

declare module '@cornerstonejs/tools' {
  export const AnnotationDisplayTool: any;
  export const annotation: {
    state: {
      addAnnotation(a: any, element: HTMLElement | string): string;
      removeAnnotation(uid: string): void;
      getAnnotation(uid: string): any;
      getAnnotations(toolName: string, element: HTMLElement): any[] | undefined;
      triggerAnnotationCompleted(a: any): void;
      triggerAnnotationModified?(a: any, element: HTMLElement): void;
    };
    visibility?: { setAnnotationVisibility(uid: string, visible: boolean): void };
  };
  export const drawing: {
    drawPath(svg: any, annUID: string, id: string, points: number[][] | number[][][], opts: any): void;
    drawPolyline(svg: any, annUID: string, id: string, points: number[][], opts: any): void;
    drawLine(svg: any, annUID: string, id: string, a: number[], b: number[], opts: any): void;
    drawCircle(svg: any, annUID: string, id: string, c: number[], r: number, opts: any): void;
    drawTextBox(svg: any, annUID: string, id: string, lines: string[], pos: number[], opts: any): any;
  };
  export const utilities: {
    triggerAnnotationRenderForViewportIds(ids: string[]): void;
    drawing?: { getTextBoxCoordsCanvas?(points: [number, number][], element: HTMLElement, lines: string[]): [number, number] };
  };
  export function addTool(tool: any): void;
  export const Enums: any;
}
