import { useState } from 'react';
import type { Analysis, Anchor, Lang } from '../api/contract';
import { t } from '../i18n/strings';
import { findingRows, LOW_SCORE, rowText } from './findings';
import { C, S } from './styles';

/**
 * The collapsible, ranked list of findings, drawn as soon as the analysis completes. A row zooms to
 * its finding and highlights it; the eye hides or shows its drawings; "back to fit" undoes the zoom.
 */
export function FindingsList({
  lang,
  anchors,
  analysis,
  focusId,
  zoomed,
  hidden,
  onFocus,
  onToggle,
  onFit,
}: {
  lang: Lang;
  anchors: Anchor[];
  analysis: Analysis | null;
  focusId: string | null;
  zoomed: boolean;
  hidden: string[];
  onFocus: (a: Anchor) => void;
  onToggle: (id: string) => void;
  onFit: () => void;
}) {
  const [open, setOpen] = useState(true);
  const rows = findingRows(anchors, analysis, lang);
  return (
    <div data-cxr="findings" style={S.section}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        <button style={S.linkButton} aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'} {t('findings', lang)} ({rows.length})
        </button>
        <span style={{ flex: 1 }} />
        {zoomed && (
          <button data-cxr="back-to-fit" style={S.smallButton} onClick={onFit}>
            {t('backToFit', lang)}
          </button>
        )}
      </div>
      {open && rows.length === 0 && (
        <div style={{ color: C.muted, fontSize: 12, padding: '2px 4px' }}>{t('noFindings', lang)}</div>
      )}
      {open &&
        rows.map((r) => {
          const isHidden = hidden.includes(r.anchor.id);
          const low = r.score !== null && r.score < LOW_SCORE;
          return (
            <div
              key={r.anchor.id}
              data-cxr="finding-row"
              data-anchor={r.anchor.id}
              style={{
                ...S.row,
                opacity: low || isHidden ? 0.6 : 1,
                borderColor: focusId === r.anchor.id ? C.accent : 'transparent',
              }}
            >
              <button
                style={S.eye}
                aria-pressed={!isHidden}
                aria-label={`${t(isHidden ? 'show' : 'hide', lang)} ${r.anchor.id}`}
                title={t(isHidden ? 'show' : 'hide', lang)}
                onClick={() => onToggle(r.anchor.id)}
              >
                {isHidden ? '◌' : '◉'}
              </button>
              <button
                data-cxr="anchor-chip"
                data-anchor={r.anchor.id}
                style={S.rowButton}
                onClick={() => onFocus(r.anchor)}
              >
                {rowText(r)}
              </button>
            </div>
          );
        })}
    </div>
  );
}
