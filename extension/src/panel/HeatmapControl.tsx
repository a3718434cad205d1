import type { Lang } from '../api/contract';
import { t } from '../i18n/strings';
import { C, S } from './styles';

/** The heatmap switch (stateful, shared with the toolbar button), its opacity and its colour scale. */
export function HeatmapControl({
  lang,
  shown,
  opacity,
  legend,
  onToggle,
  onOpacity,
}: {
  lang: Lang;
  shown: boolean;
  opacity: number;
  legend: string;
  onToggle: () => void;
  onOpacity: (v: number) => void;
}) {
  return (
    <div
      data-cxr="heatmap-control"
      style={{ ...S.section, display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8 }}
    >
      <button
        data-cxr="heatmap-toggle"
        role="switch"
        aria-checked={shown}
        style={{ ...S.smallButton, background: shown ? C.accent : 'transparent', color: shown ? C.onAccent : C.accent }}
        onClick={onToggle}
      >
        {t(shown ? 'heatmapOn' : 'heatmapOff', lang)}
      </button>
      {shown && (
        <>
          <label style={{ display: 'flex', alignItems: 'center', gap: 4, fontSize: 12, color: C.muted }}>
            {t('opacity', lang)}
            <input
              data-cxr="heatmap-opacity"
              type="range"
              min={0.1}
              max={1}
              step={0.05}
              value={opacity}
              onChange={(e) => onOpacity(Number(e.target.value))}
              style={{ width: 80 }}
            />
          </label>
          <span
            data-cxr="heatmap-legend"
            style={{ display: 'flex', alignItems: 'center', gap: 4, fontSize: 11, color: C.muted }}
          >
            {t('legendLow', lang)}
            <span
              style={{ width: 70, height: 8, borderRadius: 2, background: legend, border: `1px solid ${C.border}` }}
            />
            {t('legendHigh', lang)}
          </span>
        </>
      )}
    </div>
  );
}
