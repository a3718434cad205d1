/** Overlay colours: label text legible on its box for any server colour; the heatmap scale. */
import assert from 'node:assert/strict';
import { heatColor } from '../../../extension/src/host/heatScale';
import { labelColor } from '../../../extension/src/tools/labelColor';

/** WCAG 2 relative luminance and contrast ratio. */
function luminance([r, g, b]: number[]): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
const contrast = (a: number[], b: number[]) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
const rgb = (css: string) => (/rgb\((\d+), (\d+), (\d+)\)/.exec(css) as RegExpExecArray).slice(1).map(Number);

test('label text has at least 4.5:1 contrast on the label box for any colour', () => {
  const box = [8, 10, 20];
  for (const c of ['#000000', '#0000ff', '#ff0000', '#e53935', '#00ffff', '#ffb020', '#5acce6', '#808080']) {
    const ratio = contrast(rgb(labelColor(c)), box);
    assert.ok(ratio >= 4.5, `${c}: ${ratio.toFixed(2)}:1`);
  }
});

test('the heatmap is transparent below the operating point and never turns white', () => {
  assert.deepEqual(heatColor(0.5, 0.6), [0, 0, 0, 0]);
  for (let p = 0.6; p <= 1.0001; p += 0.05) {
    const [r, g, b, a] = heatColor(Math.min(1, p), 0.6);
    assert.ok(a > 0, `visible at p=${p.toFixed(2)}`);
    assert.ok(b < 100 && !(r > 240 && g > 240), `not white at p=${p.toFixed(2)}: ${[r, g, b]}`);
  }
  const [r1, g1] = heatColor(0.6, 0.6);
  const [r2, g2] = heatColor(1, 0.6);
  assert.ok(g1 > g2 && r2 > 200 && r1 > 200, 'yellow at the operating point, red at the peak');
});
