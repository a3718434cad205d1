type Rgb = [number, number, number];
/** Colormap stops at p = 0, 0.25, 0.5, 0.75, 1. */
const MAPS: Record<string, Rgb[]> = {
  hot: [[0, 0, 0], [128, 0, 0], [255, 64, 0], [255, 200, 0], [255, 255, 255]],
  jet: [[0, 0, 143], [0, 128, 255], [128, 255, 128], [255, 128, 0], [128, 0, 0]],
  viridis: [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]],
};

function lut(name: string): Uint8ClampedArray {
  const stops = MAPS[name] ?? MAPS.hot;
  const out = new Uint8ClampedArray(256 * 3);
  for (let v = 0; v < 256; v++) {
    const x = (v / 255) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(x));
    const f = x - i;
    for (let c = 0; c < 3; c++) out[v * 3 + c] = stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f;
  }
  return out;
}

/**
 * Fetches the server's greyscale probability PNG (api.md 7) and colours it; alpha follows the
 * probability so that p≈0 stays transparent. Returns a data URL for an SVG <image>.
 */
export async function loadHeatmap(url: string, colormap: string): Promise<string> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`heatmap HTTP ${res.status}`);
  const bitmap = await createImageBitmap(await res.blob());
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no 2d context');
  g.drawImage(bitmap, 0, 0);
  const img = g.getImageData(0, 0, canvas.width, canvas.height);
  const table = lut(colormap);
  const px = img.data;
  for (let i = 0; i < px.length; i += 4) {
    const v = px[i];
    px[i] = table[v * 3];
    px[i + 1] = table[v * 3 + 1];
    px[i + 2] = table[v * 3 + 2];
    px[i + 3] = v;
  }
  g.putImageData(img, 0, 0);
  return canvas.toDataURL('image/png');
}
