import type { Anchor, AnswerItem, Checklist, Lang, Turn } from '../api/contract';
import { t } from '../i18n/strings';
import { C, S } from './styles';

// Neutral marks: "present" / "met" only say that a feature is seen or an item is met — for a
// malignant sign (spiculation) that is not good news, so no reassuring green and no alarming red.
const ICON: Record<string, { glyph: string; color: string }> = {
  present: { glyph: '●', color: C.accent }, met: { glyph: '✓', color: C.accent },
  absent: { glyph: '○', color: C.muted }, not_met: { glyph: '✗', color: C.muted },
  indeterminate: { glyph: '?', color: C.unknown },
};

function StatusIcon({ status }: { status: string | null }) {
  const i = status ? ICON[status] : undefined;
  if (!i) return <span style={{ color: C.muted, width: 14, flex: 'none' }}>•</span>;
  return <span data-cxr-status={status ?? ''} style={{ color: i.color, width: 14, flex: 'none', fontWeight: 700 }}>{i.glyph}</span>;
}

function ChecklistCard({ c, lang }: { c: Checklist; lang: Lang }) {
  return (
    <div data-cxr="checklist" style={{ border: `1px solid ${C.border}`, borderRadius: 6, padding: 8, marginTop: 6 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', fontWeight: 600 }}>
        <span>{c.title}</span>
        <span data-cxr="checklist-count" style={{ color: C.accent }}>{t('checklistCount', lang)} {c.metCount}/{c.total}</span>
      </div>
      {c.items.map((i) => (
        <div key={i.id} style={S.item} title={i.note ?? undefined}><StatusIcon status={i.status} /><span>{i.label}</span></div>
      ))}
      <div style={{ color: C.muted, fontSize: 12, marginTop: 4 }}>{c.summary}</div>
      <div style={{ color: C.muted, fontSize: 11, marginTop: 2 }}>{c.disclaimer}</div>
    </div>
  );
}

/** A structured answer: headline, sections of items with status icons, checklist card, suggestions. */
export function Reply({ turn, lang, anchors, onAnchor, onSuggest }: {
  turn: Turn; lang: Lang; anchors: Anchor[]; onAnchor: (a: Anchor) => void; onSuggest: (q: string) => void;
}) {
  const byId = new Map(anchors.map((a) => [a.id, a]));
  const item = (it: AnswerItem, k: number) => (
    <div key={k} style={S.item}>
      <StatusIcon status={it.status} />
      <span>
        {it.text}
        {it.anchorIds.filter((id) => byId.has(id)).map((id) => (
          <button key={id} style={{ ...S.chip, marginLeft: 4, padding: '0 6px' }} onClick={() => onAnchor(byId.get(id) as Anchor)}>{id}</button>
        ))}
      </span>
    </div>
  );
  return (
    <div data-cxr="reply" data-intent={turn.understanding?.intent} style={S.reply}>
      <div data-cxr="reply-headline" style={S.headline}>{turn.answer.headline}</div>
      {turn.answer.sections.filter((s) => s.id !== 'checklist' || !turn.checklist).map((s, i) => (
        <div key={i} data-cxr-section={s.id}>
          <div style={S.sectionTitle}>{s.title}</div>
          {s.items.map(item)}
        </div>
      ))}
      {turn.checklist && <ChecklistCard c={turn.checklist} lang={lang} />}
      {turn.clarification && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4, marginTop: 6 }}>
          {turn.clarification.options.map((o) => (
            <button key={o.anchorId} style={S.chip} onClick={() => onSuggest(o.text)}>{o.text}</button>
          ))}
        </div>
      )}
      {turn.answer.suggestions.length > 0 && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4, marginTop: 6 }}>
          {turn.answer.suggestions.map((q) => (
            <button key={q} style={{ ...S.chip, color: C.accent }} onClick={() => onSuggest(q)}>{q}</button>
          ))}
        </div>
      )}
    </div>
  );
}
