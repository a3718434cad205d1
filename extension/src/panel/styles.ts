import type { CSSProperties } from 'react';

/** OHIF's dark theme colours (ui-next: primary #5acce6, panels #090c29 / #041c4a) and its Inter font. */
export const C = {
  bg: '#090c29', card: '#041c4a', border: '#1e2a5a', text: '#e6ecff', muted: '#9aa6cc',
  accent: '#5acce6', onAccent: '#001018', user: '#1d3b6e', error: '#ff6b6b', unknown: '#ffb020',
};

export const S: Record<string, CSSProperties> = {
  // A flex column that takes the space OHIF gives it and no more (min-height: 0 lets the message
  // list shrink), so the composer and Send stay visible under OHIF's tab strip at any height.
  root: {
    display: 'flex', flexDirection: 'column', height: '100%', maxHeight: '100%', minHeight: 0, overflow: 'hidden',
    background: C.bg, color: C.text, font: '13px/1.45 Inter, "Noto Sans CJK SC", "PingFang SC", system-ui, sans-serif',
  },
  header: { flex: 'none', display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '6px 10px', borderBottom: `1px solid ${C.border}` },
  title: { fontWeight: 600, color: C.accent },
  // The top block (notices, findings, heatmap) may scroll itself but never takes more than ~45 %.
  top: { flex: '0 1 auto', maxHeight: '45%', overflowY: 'auto', minHeight: 0 },
  section: { margin: '4px 10px', padding: '4px 6px', border: `1px solid ${C.border}`, borderRadius: 6 },
  smallButton: { background: 'transparent', color: C.accent, border: `1px solid ${C.border}`, borderRadius: 4, padding: '2px 8px', cursor: 'pointer', fontSize: 12 },
  linkButton: { background: 'transparent', color: C.text, border: 'none', padding: 0, cursor: 'pointer', fontSize: 12.5, fontWeight: 600 },
  row: { display: 'flex', alignItems: 'center', gap: 4, border: '1px solid transparent', borderRadius: 4, margin: '2px 0' },
  rowButton: { flex: 1, textAlign: 'left', background: 'transparent', color: C.text, border: 'none', cursor: 'pointer', fontSize: 12.5, padding: '2px 4px' },
  eye: { background: 'transparent', color: C.accent, border: 'none', cursor: 'pointer', fontSize: 13, width: 22 },
  notice: { margin: '6px 10px 2px', padding: '4px 8px', background: '#2a1f00', color: '#ffd27a', border: '1px solid #5a4300', borderRadius: 4, fontSize: 11.5 },
  warning: { margin: '4px 10px', padding: '4px 8px', color: '#ffd27a', border: '1px solid #5a4300', borderRadius: 4, fontSize: 12 },
  status: { margin: '2px 10px', color: C.muted, fontSize: 12 },
  list: { flex: '1 1 0', minHeight: 60, overflowY: 'auto', padding: '4px 10px', display: 'flex', flexDirection: 'column' },
  userMsg: { alignSelf: 'flex-end', background: C.user, borderRadius: 8, padding: '6px 9px', margin: '6px 0 6px 30px', whiteSpace: 'pre-wrap' },
  reply: { background: C.card, border: `1px solid ${C.border}`, borderRadius: 8, padding: '8px 10px', margin: '6px 0' },
  headline: { fontWeight: 600, marginBottom: 4 },
  sectionTitle: { color: C.accent, fontSize: 12, marginTop: 6, textTransform: 'uppercase', letterSpacing: 0.3 },
  item: { display: 'flex', gap: 6, margin: '3px 0' },
  error: { background: '#3a0d12', border: `1px solid ${C.error}`, color: '#ffd0d0', borderRadius: 6, padding: '6px 8px', margin: '6px 0' },
  chip: { background: C.card, color: C.text, border: `1px solid ${C.border}`, borderRadius: 12, padding: '1px 8px', cursor: 'pointer', fontSize: 12 },
  examples: { flex: 'none', display: 'flex', flexWrap: 'wrap', gap: 4, padding: '4px 10px', maxHeight: 84, overflowY: 'auto' },
  composer: { flex: 'none', display: 'flex', gap: 6, padding: '6px 10px 8px', borderTop: `1px solid ${C.border}` },
  input: { flex: 1, resize: 'none', background: '#0a0f2a', color: C.text, border: `1px solid ${C.border}`, borderRadius: 6, padding: 6, font: 'inherit', minHeight: 38 },
  send: { background: C.accent, color: C.onAccent, border: 'none', borderRadius: 6, padding: '0 12px', cursor: 'pointer', fontWeight: 600 },
  progress: { color: C.muted, fontStyle: 'italic', margin: '6px 0' },
  visuallyHidden: { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
};
