import type { SvgHelper } from './CxrDisplayTool';
import { drawing, utilities as csToolsUtilities } from '@cornerstonejs/tools';
import type { Style } from '../api/contract';
import { labelColor } from './labelColor';

type Pt = [number, number];
type Box = { x: number; y: number; width: number; height: number };
const PADDING = 3;

/** Opaque label boxes: legible on bright lung and on black (issue 15: ≥ 4.5:1 contrast). */
function labelOptions(style: Style, focused: boolean): Record<string, unknown> {
  return {
    color: labelColor(style.color),
    background: 'rgb(8, 10, 20)',
    fontSize: focused ? '14px' : '12.5px',
    fontFamily: 'Inter, "Noto Sans CJK SC", "PingFang SC", system-ui, sans-serif',
    padding: PADDING,
    textBoxMargin: 2,
    textBoxBorderRadius: 3,
    centerY: false,
  };
}

/**
 * Places a label off its subject with Cornerstone's own placement: beside the subject's extent, and
 * moved past every text box already drawn in this render (ours and OHIF's measurement stats, which
 * Cornerstone registers per frame). Falls back to the right of the extent where the helper is absent.
 */
function place(extent: Pt[], element: HTMLElement, lines: string[]): Pt {
  const helper = csToolsUtilities.drawing?.getTextBoxCoordsCanvas;
  if (helper) return helper(extent, element as HTMLDivElement, lines);
  const right = Math.max(...extent.map((p) => p[0]));
  const cy = extent.reduce((s, p) => s + p[1], 0) / extent.length;
  return [right + 8, cy - 8];
}

/** The point of a box nearest to p (where the leader line ends). */
function nearestOnBox(b: Box, p: Pt): Pt {
  return [Math.min(b.x + b.width, Math.max(b.x, p[0])), Math.min(b.y + b.height, Math.max(b.y, p[1]))];
}

/**
 * One label for one subject: text box placed off the subject and a thin leader line from the box to
 * `target` (the point the label names) when the box is not right beside it.
 */
export function drawLabel(
  svg: SvgHelper,
  uid: string,
  lines: string[],
  extent: Pt[],
  target: Pt,
  element: HTMLElement,
  style: Style,
  focused: boolean,
): void {
  if (!lines.length || !extent.length) return;
  const at = place(extent, element, lines);
  // drawTextBox adds the padding itself; the placement gave the box's corner.
  const box = drawing.drawTextBox(
    svg,
    uid,
    'label',
    lines,
    [at[0] - PADDING, at[1] - PADDING],
    labelOptions(style, focused),
  ) as Box | undefined;
  if (!box) return;
  const end = nearestOnBox(box, target);
  if (Math.hypot(end[0] - target[0], end[1] - target[1]) > 6) {
    drawing.drawLine(svg, uid, 'leader', target, end, {
      color: labelColor(style.color),
      lineWidth: 1,
      strokeOpacity: 0.9,
    });
  }
}
