import { drawing } from '@cornerstonejs/tools';
import { CxrDisplayTool, type Canvas, type DrawContext, type SvgHelper } from './CxrDisplayTool';
import { strokeOptions, type CxrDrawData } from './drawData';
import { CXR_TOOL_NAMES } from './names';

/**
 * Kind "region": an outline without fill, one path per polygon. A fill would hide the texture the
 * reader needs to judge the finding (issue 15), so the server's opacity only applies to the heatmap.
 */
export class RegionHighlightTool extends CxrDisplayTool {
  static override toolName = CXR_TOOL_NAMES.region;

  protected override draw(svg: SvgHelper, uid: string, d: CxrDrawData, toCanvas: Canvas, ctx: DrawContext): void {
    const polys = d.paths.map((p) => p.points.map(toCanvas));
    drawing.drawPath(svg, uid, 'region', polys, {
      ...strokeOptions(d.ann.style, ctx.highlighted),
      closePath: true,
      fillColor: 'none',
    });
  }
}
