import type { Style } from '../contract';

/** The contract's default palette (api.md 11). */
export const COLORS = {
  finding: '#FFB020',
  refinement: '#FF7A00',
  user: '#00C2FF',
  centerLink: '#FFD54F',
  gapLink: '#FFFFFF',
  notch: '#40C4FF',
  spicule: '#E040FB',
  landmark: '#69F0AE',
  lung_right: '#4FC3F7',
  lung_left: '#4FC3F7',
  heart: '#EF5350',
  mediastinum: '#BA68C8',
  trachea: '#81C784',
  clavicle_right: '#BDBDBD',
  clavicle_left: '#BDBDBD',
  heatmap: '#FF0000',
} as const;

export function style(color: string, opts: Partial<Style> = {}): Style {
  return { color, opacity: 0, lineWidth: 2, lineDash: 'solid', emphasis: 'normal', visible: true, ...opts };
}
