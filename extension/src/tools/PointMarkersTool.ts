import { drawing } from '@cornerstonejs/tools';
import { CxrDisplayTool, type Canvas, type DrawContext, type SvgHelper } from './CxrDisplayTool';
import { strokeOptions, type CxrDrawData } from './drawData';
import { drawLabel } from './drawLabel';
import { CXR_TOOL_NAMES } from './names';

/** Markers whose labels are sub-measurements of a lesion: shown on hover or focus only. */
const SUB_MEASUREMENT_KINDS = new Set(['notch', 'spicule', 'spicule_tip', 'spicule_base']);

/** Kind "points": one marker (ring + dot, label beside it) per Cornerstone annotation. */
export class PointMarkersTool extends CxrDisplayTool {
  static override toolName = CXR_TOOL_NAMES.points;

  protected override draw(svg: SvgHelper, uid: string, d: CxrDrawData, toCanvas: Canvas, ctx: DrawContext): void {
    const c = toCanvas(d.anchor);
    const s = strokeOptions(d.ann.style, ctx.highlighted);
    drawing.drawCircle(svg, uid, 'ring', c, 5, { ...s, lineDash: undefined, fill: 'transparent' });
    drawing.drawCircle(svg, uid, 'dot', c, 1.5, { color: s.color, fill: s.color, lineWidth: 1 });
    const marker = d.ann.kind === 'points' ? d.ann.markers[d.part] : undefined;
    const quiet = !!marker && SUB_MEASUREMENT_KINDS.has(marker.kind) && !ctx.highlighted;
    if (!quiet)
      drawLabel(
        svg,
        uid,
        d.text,
        [
          [c[0] - 6, c[1] - 6],
          [c[0] + 6, c[1] + 6],
        ],
        c,
        ctx.element,
        d.ann.style,
        ctx.highlighted,
      );
  }
}
