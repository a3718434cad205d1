import { drawing } from '@cornerstonejs/tools';
import { CxrDisplayTool, type Canvas, type DrawContext, type SvgHelper } from './CxrDisplayTool';
import { strokeOptions, type CxrDrawData } from './drawData';
import { drawLabel } from './drawLabel';
import { CXR_TOOL_NAMES } from './names';

/**
 * Kind "link": a line between two points with end ticks and its distance label.
 * Dashed = centre to centre, solid = edge gap or a width (api.md 11).
 */
export class LinkLineTool extends CxrDisplayTool {
  static override toolName = CXR_TOOL_NAMES.link;

  protected override draw(svg: SvgHelper, uid: string, d: CxrDrawData, toCanvas: Canvas, ctx: DrawContext): void {
    const path = d.paths[0];
    if (!path || path.points.length < 2) return;
    const [a, b] = path.points.map(toCanvas);
    const s = strokeOptions(d.ann.style, ctx.highlighted);
    drawing.drawLine(svg, uid, 'link', a, b, s);
    // Short perpendicular ticks make the measured extent unambiguous on a busy film.
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const nx = (-(b[1] - a[1]) / len) * 5;
    const ny = ((b[0] - a[0]) / len) * 5;
    for (const [i, p] of [a, b].entries()) {
      drawing.drawLine(svg, uid, `tick-${i}`, [p[0] - nx, p[1] - ny], [p[0] + nx, p[1] + ny], {
        ...s,
        lineDash: undefined,
      });
    }
    const mid = toCanvas(d.anchor);
    drawLabel(svg, uid, d.text, [mid], mid, ctx.element, d.ann.style, ctx.highlighted);
  }
}
