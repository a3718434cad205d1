import { CxrDisplayTool, type Canvas, type DrawContext, type SvgHelper } from './CxrDisplayTool';
import type { CxrDrawData } from './drawData';
import { drawLabel } from './drawLabel';
import { CXR_TOOL_NAMES } from './names';

/**
 * Kind "label": finding names, ratios, 相连/未相连. Placed beside what it names (its lesion's outline
 * when the label belongs to an anchor) with a leader line, never on the lesion itself.
 */
export class TextLabelTool extends CxrDisplayTool {
  static override toolName = CXR_TOOL_NAMES.label;

  protected override draw(svg: SvgHelper, uid: string, d: CxrDrawData, toCanvas: Canvas, ctx: DrawContext): void {
    const at = toCanvas(d.anchor);
    const extent = d.extent.length ? d.extent.map(toCanvas) : [at];
    drawLabel(svg, uid, d.text, extent, at, ctx.element, d.ann.style, ctx.highlighted);
  }
}
