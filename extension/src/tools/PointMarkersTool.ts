import { drawing } from '@cornerstonejs/tools';
import { CxrDisplayTool } from './CxrDisplayTool';
import { strokeOptions, textOptions, type CxrDrawData } from './drawData';
import { CXR_TOOL_NAMES } from './names';

/** Kind "points": one marker (ring + dot + short label) per Cornerstone annotation. */
export class PointMarkersTool extends CxrDisplayTool {
  static toolName = CXR_TOOL_NAMES.points;

  protected draw(svg: unknown, uid: string, d: CxrDrawData, toCanvas: (p: [number, number, number]) => [number, number]): void {
    const c = toCanvas(d.anchor);
    const s = strokeOptions(d.ann.style);
    drawing.drawCircle(svg, uid, 'ring', c, 6, { ...s, lineDash: undefined, fill: 'transparent' });
    drawing.drawCircle(svg, uid, 'dot', c, 1.5, { color: s.color, fill: s.color, lineWidth: 1 });
    if (d.text.length) drawing.drawTextBox(svg, uid, 'label', d.text, [c[0] + 8, c[1] - 8], textOptions(d.ann.style));
  }
}
