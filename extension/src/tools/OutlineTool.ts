import { drawing } from '@cornerstonejs/tools';
import { CxrDisplayTool, type Canvas, type DrawContext, type SvgHelper } from './CxrDisplayTool';
import { strokeOptions, type CxrDrawData } from './drawData';
import { CXR_TOOL_NAMES } from './names';

/** Kind "outline": a polygon, sampled ellipse or polyline without fill (refined contours, anatomy). */
export class OutlineTool extends CxrDisplayTool {
  static override toolName = CXR_TOOL_NAMES.outline;

  protected override draw(svg: SvgHelper, uid: string, d: CxrDrawData, toCanvas: Canvas, ctx: DrawContext): void {
    const s = strokeOptions(d.ann.style, ctx.highlighted);
    d.paths.forEach((p, i) => {
      drawing.drawPath(svg, uid, `outline-${i}`, p.points.map(toCanvas), {
        ...s,
        closePath: p.closed,
        fillColor: 'none',
      });
    });
  }
}
