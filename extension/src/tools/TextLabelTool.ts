import { drawing } from '@cornerstonejs/tools';
import { CxrDisplayTool } from './CxrDisplayTool';
import { textOptions, type CxrDrawData } from './drawData';
import { CXR_TOOL_NAMES } from './names';

/** Kind "label": a text box anchored at an image point (finding names, ratios, 相连/未相连). */
export class TextLabelTool extends CxrDisplayTool {
  static toolName = CXR_TOOL_NAMES.label;

  protected draw(svg: unknown, uid: string, d: CxrDrawData, toCanvas: (p: [number, number, number]) => [number, number]): void {
    const c = toCanvas(d.anchor);
    drawing.drawTextBox(svg, uid, 'label', d.text, [c[0], c[1]], textOptions(d.ann.style));
  }
}
