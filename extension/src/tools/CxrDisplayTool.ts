import { AnnotationDisplayTool, annotation as csAnnotation } from '@cornerstonejs/tools';
import type { Types as ToolsTypes } from '@cornerstonejs/tools';
import type { Types as CoreTypes } from '@cornerstonejs/core';
import type { CxrDrawData } from './drawData';

export type SvgHelper = ToolsTypes.SVGDrawingHelper;

export type Canvas = (p: [number, number, number]) => [number, number];
/** Per-annotation drawing context: the viewport element (for label placement) and Cornerstone's highlighted state. */
export interface DrawContext {
  element: HTMLElement;
  highlighted: boolean;
}

/**
 * Base of our display-only tools: finds this tool's annotations on the image the viewport shows and
 * hands each one, with a world→canvas function, to `draw`. Users never draw these; the server does.
 */
export abstract class CxrDisplayTool extends AnnotationDisplayTool {
  constructor(
    toolProps: Record<string, unknown> = {},
    defaultToolProps: Record<string, unknown> = { supportedInteractionTypes: [] },
  ) {
    super(toolProps, defaultToolProps);
  }

  protected abstract draw(svg: SvgHelper, uid: string, d: CxrDrawData, toCanvas: Canvas, ctx: DrawContext): void;

  renderAnnotation = (enabledElement: CoreTypes.IEnabledElement, svgDrawingHelper: SvgHelper): boolean => {
    const { viewport } = enabledElement;
    const toolName = (this.constructor as unknown as { toolName: string }).toolName;
    const all = csAnnotation.state.getAnnotations(toolName, viewport.element) ?? [];
    const imageId = viewport.getCurrentImageId?.();
    const toCanvas: Canvas = (p) => viewport.worldToCanvas(p);
    let drawn = false;
    for (const a of all) {
      if (a.isVisible === false || a.metadata?.referencedImageId !== imageId) continue;
      const d = a.data?.cxr as CxrDrawData | undefined;
      // Cornerstone may reset `isVisible` when an annotation is added: the server's style decides.
      if (!d || !a.annotationUID || d.ann.style.visible === false) continue;
      this.draw(svgDrawingHelper, a.annotationUID, d, toCanvas, {
        element: viewport.element,
        highlighted: !!a.highlighted,
      });
      drawn = true;
    }
    return drawn;
  };
}
