/** Clock positions (api.md 12.3). */
import type { Point } from '../contract';

/**
 * Clock position of `to` seen from `from` on the stored image without flips: 12 = up (−y),
 * 3 = +x, 6 = down, 9 = −x; `round(θ / 30°)` with θ clockwise from up, 0 written as 12.
 */
export function clockPosition(from: Point, to: Point): number {
  const dx = to[0] - from[0],
    dy = to[1] - from[1];
  let theta = (Math.atan2(dx, -dy) * 180) / Math.PI; // clockwise from up, image y down
  if (theta < 0) theta += 360;
  const c = Math.round(theta / 30) % 12;
  return c === 0 ? 12 : c;
}
