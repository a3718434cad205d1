import { CxrDisplayTool, type SvgHelper } from './CxrDisplayTool';
import type { CxrDrawData } from './drawData';
import { CXR_TOOL_NAMES } from './names';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Kind "heatmap": the coloured lesion-probability PNG (coloured by host/heatmap.ts) laid over the
 * image as an SVG <image> whose affine transform follows pan, zoom, flip and rotation.
 */
export class HeatmapTool extends CxrDisplayTool {
  static override toolName = CXR_TOOL_NAMES.heatmap;

  protected override draw(
    svg: SvgHelper,
    uid: string,
    d: CxrDrawData,
    toCanvas: (p: [number, number, number]) => [number, number],
  ): void {
    if (!d.href || !d.corners || !d.imageSize) return;
    const [cols, rows] = d.imageSize;
    const [o, x, y] = d.corners.map(toCanvas);
    // Maps image pixel (u, v) to canvas: o + u·(x−o)/cols + v·(y−o)/rows.
    const m = [(x[0] - o[0]) / cols, (x[1] - o[1]) / cols, (y[0] - o[0]) / rows, (y[1] - o[1]) / rows, o[0], o[1]];
    const hash = `${uid}::image::heatmap`;
    let node = svg.getSvgNode(hash) as SVGImageElement | undefined;
    if (!node) {
      node = document.createElementNS(SVG_NS, 'image') as SVGImageElement;
      node.setAttribute('preserveAspectRatio', 'none');
      node.setAttribute('style', 'pointer-events: none');
      svg.appendNode(node, hash);
    } else {
      svg.setNodeTouched(hash);
    }
    if (node.getAttribute('href') !== d.href) node.setAttribute('href', d.href);
    node.setAttribute('x', '0');
    node.setAttribute('y', '0');
    node.setAttribute('width', String(cols));
    node.setAttribute('height', String(rows));
    node.setAttribute('opacity', String(d.ann.style.opacity));
    node.setAttribute('transform', `matrix(${m.map((v) => v.toFixed(5)).join(' ')})`);
  }
}
