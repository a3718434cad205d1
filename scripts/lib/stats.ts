// Interval estimates the evaluation scripts report next to their figures.

/** Wilson 95 % interval of a proportion k/n as [lo, hi] in 0..1 ([NaN, NaN] when n is 0). */
export function wilson(k: number, n: number): [number, number] {
  if (!n) return [NaN, NaN];
  const z = 1.96,
    p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}
