import { drawing } from '@cornerstonejs/tools';
import { CxrDisplayTool } from './CxrDisplayTool';
import { strokeOptions, type CxrDrawData } from './drawData';
import { CXR_TOOL_NAMES } from './names';

/** Kind "region": translucent fill with a thin stroke (api.md 11), one path per polygon. */
export class RegionHighlightTool extends CxrDisplayTool {
  static toolName = CXR_TOOL_NAMES.region;

  protected draw(svg: unknown, uid: string, d: CxrDrawData, toCanvas: (p: [number, number, number]) => [number, number]): void {
    const s = strokeOptions(d.ann.style);
    const polys = d.paths.map((p) => p.points.map(toCanvas));
    drawing.drawPath(svg, uid, 'region', polys, {
      ...s, lineWidth: Math.max(1, s.lineWidth * 0.75), closePath: true,
      fillColor: d.ann.style.color, fillOpacity: d.ann.style.opacity,
    });
  }
}
