import type { Anchor, AnswerItem, Checklist, Lang, Turn } from '../api/contract';
import { t } from '../i18n/strings';
import { C, S } from './styles';

// Neutral marks, one neutral colour: "present" / "met" only say that a feature is seen — for a
// malignant sign (spiculation) that is not good news, so no reassuring green ✓ and no alarming red.
// The word beside the mark (阳性/阴性/无法判断) says it without relying on colour or glyph.
const MARK: Record<string, { glyph: string; word: 'present' | 'absent' | 'indeterminate' }> = {
  present: { glyph: '●', word: 'present' },
  met: { glyph: '●', word: 'present' },
  absent: { glyph: '○', word: 'absent' },
  not_met: { glyph: '○', word: 'absent' },
  indeterminate: { glyph: '?', word: 'indeterminate' },
};

function StatusIcon({ status, lang }: { status: string | null; lang: Lang }) {
  const m = status ? MARK[status] : undefined;
  if (!m) return <span style={{ color: C.muted, width: 14, flex: 'none' }}>•</span>;
  return (
    <span
      data-cxr-status={status ?? ''}
      style={{ color: C.text, flex: 'none', display: 'inline-flex', gap: 3, alignItems: 'baseline', minWidth: 14 }}
    >
      <span aria-hidden="true" style={{ fontWeight: 700 }}>
        {m.glyph}
      </span>
      <span style={{ fontSize: 11, color: C.muted, whiteSpace: 'nowrap' }}>{t(m.word, lang)}</span>
    </span>
  );
}

/** Report links (view and download), each in the reply's language. */
function Links({ turn, lang }: { turn: Turn; lang: Lang }) {
  const report = turn.links.filter((l) => l.rel === 'report');
  if (!report.length) return null;
  const base = report[0].href.replace(/format=[a-z-]+/, 'format=text');
  return (
    <div data-cxr="report-links" style={{ display: 'flex', gap: 8, marginTop: 6, fontSize: 12 }}>
      <a href={base} target="_blank" rel="noreferrer" style={{ color: C.accent }}>
        {t('showReport', lang)}
      </a>
      <a href={base} download style={{ color: C.accent }}>
        ⤓ TXT
      </a>
      <a href={report[0].href.replace(/format=[a-z-]+/, 'format=dicom-sr')} download style={{ color: C.accent }}>
        ⤓ DICOM SR
      </a>
    </div>
  );
}

function ChecklistCard({ c, lang }: { c: Checklist; lang: Lang }) {
  return (
    <div data-cxr="checklist" style={{ border: `1px solid ${C.border}`, borderRadius: 6, padding: 8, marginTop: 6 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', fontWeight: 600 }}>
        <span>{c.title}</span>
        <span data-cxr="checklist-count" style={{ color: C.accent }}>
          {t('checklistCount', lang)} {c.metCount}/{c.total}
        </span>
      </div>
      {c.items.map((i) => (
        <div key={i.id} style={S.item} title={i.note ?? undefined}>
          <StatusIcon status={i.status} lang={lang} />
          <span>{i.label}</span>
        </div>
      ))}
      <div style={{ color: C.muted, fontSize: 12, marginTop: 4 }}>{c.summary}</div>
      <div style={{ color: C.muted, fontSize: 11, marginTop: 2 }}>{c.disclaimer}</div>
    </div>
  );
}

/** A structured answer: headline, sections of items with status icons, checklist card, suggestions. */
export function Reply({
  turn,
  lang,
  anchors,
  suggestions,
  onAnchor,
  onSuggest,
}: {
  turn: Turn;
  lang: Lang;
  anchors: Anchor[];
  suggestions: string[];
  onAnchor: (a: Anchor) => void;
  onSuggest: (q: string) => void;
}) {
  const byId = new Map(anchors.map((a) => [a.id, a]));
  const item = (it: AnswerItem, k: number) => (
    <div key={k} style={S.item}>
      <StatusIcon status={it.status} lang={lang} />
      <span>
        {it.text}
        {it.anchorIds
          .filter((id) => byId.has(id))
          .map((id) => (
            <button
              key={id}
              data-cxr="anchor-ref"
              style={{ ...S.chip, marginLeft: 4, padding: '0 6px' }}
              onClick={() => onAnchor(byId.get(id) as Anchor)}
            >
              {id}
            </button>
          ))}
      </span>
    </div>
  );
  return (
    <div data-cxr="reply" data-intent={turn.understanding?.intent} style={S.reply}>
      <div data-cxr="reply-headline" style={S.headline}>
        {turn.answer.headline}
      </div>
      {turn.answer.sections
        .filter((s) => s.id !== 'checklist' || !turn.checklist)
        .map((s, i) => (
          <div key={i} data-cxr-section={s.id}>
            <div style={S.sectionTitle}>{s.title}</div>
            {s.items.map(item)}
          </div>
        ))}
      {turn.checklist && <ChecklistCard c={turn.checklist} lang={lang} />}
      {turn.clarification && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4, marginTop: 6 }}>
          {turn.clarification.options.map((o) => (
            <button key={o.anchorId} style={S.chip} onClick={() => onSuggest(o.text)}>
              {o.text}
            </button>
          ))}
        </div>
      )}
      <Links turn={turn} lang={lang} />
      {suggestions.length > 0 && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4, marginTop: 6 }}>
          {suggestions.map((q) => (
            <button key={q} style={{ ...S.chip, color: C.accent }} onClick={() => onSuggest(q)}>
              {q}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
