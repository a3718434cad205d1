import type { Lang } from '../api/contract';
import { t } from '../i18n/strings';
import { attachedText, compareButtonText } from './prior';
import type { PriorState } from './store';
import { S } from './styles';

/**
 * "与既往片比较 (date) / Compare with prior (date)" when the patient has an earlier radiograph; once
 * attached, its date and interval with a button that removes it. Nothing when there is neither.
 */
export function PriorControl(props: {
  lang: Lang;
  prior: PriorState;
  disabled: boolean;
  onAttach: () => void;
  onDetach: () => void;
  /** Absent where the viewer cannot show two images (no DICOMweb study behind the prior). */
  onBeside?: () => void;
}) {
  const { lang, prior, disabled } = props;
  if (prior.attached) {
    const { date, intervalDays } = prior.attached;
    return (
      <div
        data-cxr="prior"
        data-state="attached"
        style={{ ...S.status, display: 'flex', gap: 8, alignItems: 'center' }}
      >
        <span>{attachedText(date, intervalDays, lang)}</span>
        {props.onBeside && (
          <button
            data-cxr="prior-beside"
            aria-pressed={prior.beside}
            style={{ ...S.smallButton, flex: 'none', whiteSpace: 'nowrap' }}
            disabled={prior.busy}
            onClick={props.onBeside}
          >
            {t(prior.beside ? 'priorSingle' : 'priorBeside', lang)}
          </button>
        )}
        <button
          data-cxr="prior-detach"
          style={{ ...S.smallButton, flex: 'none', whiteSpace: 'nowrap' }}
          disabled={disabled || prior.busy}
          onClick={props.onDetach}
        >
          {t('priorDetach', lang)}
        </button>
      </div>
    );
  }
  if (!prior.candidate) return null;
  return (
    <div data-cxr="prior" data-state={prior.busy ? 'attaching' : 'offered'} style={{ margin: '4px 10px' }}>
      <button data-cxr="prior-compare" style={S.smallButton} disabled={disabled || prior.busy} onClick={props.onAttach}>
        {prior.busy ? t('priorAttaching', lang) : compareButtonText(prior.candidate, lang)}
      </button>
    </div>
  );
}
