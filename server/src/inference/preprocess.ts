/** Input preprocessing of the anatomy model: direct resize to S×S (area / bilinear), per-image z-score. */

/** Weights of a 1-D area (box) resampling from n to m samples; bilinear when upsampling. */
function resampleWeights(
  n: number,
  m: number,
): { start: Int32Array; count: Int32Array; w: Float32Array; stride: number } {
  const scale = n / m;
  const stride = Math.ceil(scale) + 2;
  const start = new Int32Array(m),
    count = new Int32Array(m),
    w = new Float32Array(m * stride);
  for (let o = 0; o < m; o++) {
    if (scale >= 1) {
      const a = o * scale,
        b = a + scale;
      const i0 = Math.floor(a),
        i1 = Math.min(n, Math.ceil(b));
      start[o] = i0;
      count[o] = i1 - i0;
      for (let i = i0; i < i1; i++) w[o * stride + i - i0] = (Math.min(b, i + 1) - Math.max(a, i)) / scale;
    } else {
      const c = Math.min(n - 1, Math.max(0, (o + 0.5) * scale - 0.5));
      const i0 = Math.floor(c),
        i1 = Math.min(n - 1, i0 + 1),
        f = c - i0;
      start[o] = i0;
      count[o] = i1 === i0 ? 1 : 2;
      w[o * stride] = i1 === i0 ? 1 : 1 - f;
      if (i1 !== i0) w[o * stride + 1] = f;
    }
  }
  return { start, count, w, stride };
}

/** Separable resize of a row-major grey image (area when shrinking, bilinear when enlarging). */
export function resizeGrey(
  src: ArrayLike<number>,
  width: number,
  height: number,
  outW: number,
  outH: number,
): Float32Array {
  const wx = resampleWeights(width, outW),
    wy = resampleWeights(height, outH);
  const tmp = new Float32Array(height * outW);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let o = 0; o < outW; o++) {
      let s = 0;
      const st = wx.start[o]!,
        k = o * wx.stride;
      for (let j = 0; j < wx.count[o]!; j++) s += src[row + st + j]! * wx.w[k + j]!;
      tmp[y * outW + o] = s;
    }
  }
  const out = new Float32Array(outW * outH);
  for (let o = 0; o < outH; o++) {
    const st = wy.start[o]!,
      k = o * wy.stride,
      n = wy.count[o]!;
    for (let j = 0; j < n; j++) {
      const wgt = wy.w[k + j]!,
        r = (st + j) * outW;
      for (let x = 0; x < outW; x++) out[o * outW + x] += tmp[r + x]! * wgt;
    }
  }
  return out;
}

/** In-place per-image z-score: (x − mean) / max(std, 1e-6). */
export function zScore(a: Float32Array): Float32Array {
  let s = 0,
    s2 = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i]!;
    s2 += a[i]! * a[i]!;
  }
  const mean = s / a.length;
  const std = Math.sqrt(Math.max(0, s2 / a.length - mean * mean));
  const d = Math.max(std, 1e-6);
  for (let i = 0; i < a.length; i++) a[i] = (a[i]! - mean) / d;
  return a;
}

/** The anatomy model's input tensor data [1,1,S,S] from the display image (values in [0,1], bright = dense). */
export function anatomyInput(display: ArrayLike<number>, width: number, height: number, size: number): Float32Array {
  return zScore(resizeGrey(display, width, height, size, size));
}
