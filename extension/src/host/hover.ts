import type { Types as CoreTypes } from '@cornerstonejs/core';
import type { Types as ToolsTypes } from '@cornerstonejs/tools';
import { annotation as csAnnotation } from '@cornerstonejs/tools';
import type { Lang } from '../api/contract';
import type { CxrDrawData } from '../tools/drawData';
import { ALL_CXR_TOOLS } from '../tools/names';
import { formatMeasurement } from './format';
import { activeViewport } from './image';

/**
 * A tooltip over our annotations: hovering a line, marker or region shows its measurement in words
 * (no pixel coordinates: they mean nothing to a reader) and sets Cornerstone's `highlighted` state on
 * that drawing, which our tools render thicker and with their sub-measurement labels. Our tools are
 * display-only (no handles), so the hit test is done here in canvas space.
 */
let tip: HTMLDivElement | null = null;
let attached: HTMLElement | null = null;
let lang: Lang = 'zh';

export function setHoverLanguage(l: Lang): void {
  lang = l;
}

function distToSegment(p: number[], a: number[], b: number[]): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len2 = dx * dx + dy * dy || 1;
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

function inside(p: number[], poly: number[][]): boolean {
  let c = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    if (
      poly[i][1] > p[1] !== poly[j][1] > p[1] &&
      p[0] < ((poly[j][0] - poly[i][0]) * (p[1] - poly[i][1])) / (poly[j][1] - poly[i][1]) + poly[i][0]
    )
      c = !c;
  }
  return c;
}

type Annotation = ToolsTypes.Annotation;

let hovered: Annotation | null = null;

/** Moves Cornerstone's highlighted state to the hovered annotation and re-renders when it changes. */
function setHovered(a: Annotation | null, vp: CoreTypes.IStackViewport): void {
  if (a === hovered) return;
  if (hovered) hovered.highlighted = false;
  hovered = a;
  if (a) a.highlighted = true;
  vp.render?.();
}

function hit(vp: CoreTypes.IStackViewport, canvas: number[]): { d: CxrDrawData; a: Annotation } | null {
  const imageId = vp.getCurrentImageId();
  for (const tool of ALL_CXR_TOOLS) {
    for (const a of csAnnotation.state.getAnnotations(tool, vp.element) ?? []) {
      const d = a.data?.cxr as CxrDrawData | undefined;
      if (!d || a.isVisible === false || a.metadata?.referencedImageId !== imageId || d.ann.kind === 'heatmap')
        continue;
      const paths = d.paths.map((p) => p.points.map((w) => vp.worldToCanvas(w) as number[]));
      const near =
        paths.some((pts) => pts.some((q, i) => i > 0 && distToSegment(canvas, pts[i - 1], q) < 6)) ||
        Math.hypot(...(vp.worldToCanvas(d.anchor) as number[]).map((v, i) => v - canvas[i])) < 10 ||
        (d.ann.kind === 'region' && paths.some((pts) => inside(canvas, pts)));
      if (near && (d.measurement || d.text.length)) return { d, a };
    }
  }
  return null;
}

function onMove(evt: MouseEvent): void {
  const a = activeViewport();
  if (!a || !tip || !attached) return;
  const rect = attached.getBoundingClientRect();
  const canvas = [evt.clientX - rect.left, evt.clientY - rect.top];
  const found = hit(a.vp, canvas);
  setHovered(found?.a ?? null, a.vp);
  if (!found) {
    tip.style.display = 'none';
    return;
  }
  const { d } = found;
  const what = d.measurement
    ? `${d.measurement.label[lang]}: ${formatMeasurement(d.measurement, lang)}`
    : d.text.join(' ');
  tip.textContent = `${d.ann.anchorId ? d.ann.anchorId + ' · ' : ''}${what}`;
  tip.style.left = `${canvas[0] + 14}px`;
  tip.style.top = `${canvas[1] + 14}px`;
  tip.style.display = 'block';
}

/** Leaving the viewport hides the tip and ends the highlight. */
function onLeave(): void {
  const a = activeViewport();
  if (tip) tip.style.display = 'none';
  if (a) setHovered(null, a.vp);
}

/** Attaches the tooltip to the active viewport element (idempotent; follows viewport changes). */
export function attachHover(): void {
  const a = activeViewport();
  const el: HTMLElement | undefined = a?.vp.element;
  if (!el || el === attached) return;
  detachHover();
  tip = document.createElement('div');
  tip.className = 'cxr-hover-tip';
  tip.setAttribute('data-cxr', 'hover-tip');
  Object.assign(tip.style, {
    position: 'absolute',
    zIndex: '20',
    display: 'none',
    pointerEvents: 'none',
    whiteSpace: 'pre',
    background: 'rgba(10,20,40,0.92)',
    color: '#fff',
    font: '12px sans-serif',
    padding: '4px 6px',
    borderRadius: '4px',
  });
  el.appendChild(tip);
  el.addEventListener('mousemove', onMove);
  el.addEventListener('mouseleave', onLeave);
  attached = el;
}

export function detachHover(): void {
  attached?.removeEventListener('mousemove', onMove);
  attached?.removeEventListener('mouseleave', onLeave);
  tip?.remove();
  tip = null;
  attached = null;
}
