import type { CSSProperties } from 'react';

/** Colours close to OHIF's dark theme so the island does not look foreign. */
export const C = {
  bg: '#050615', card: '#0b1a42', border: '#1c2a5a', text: '#e6ecff', muted: '#8a98c2',
  accent: '#5acce6', user: '#1d3b6e', error: '#ff6b6b', ok: '#4caf50', bad: '#ef5350', unknown: '#ffb020',
};

export const S: Record<string, CSSProperties> = {
  root: { display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0, background: C.bg, color: C.text, font: '13px/1.45 system-ui, sans-serif' },
  header: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '8px 10px', borderBottom: `1px solid ${C.border}` },
  title: { fontWeight: 600, color: C.accent },
  smallButton: { background: 'transparent', color: C.accent, border: `1px solid ${C.border}`, borderRadius: 4, padding: '2px 6px', cursor: 'pointer', fontSize: 12 },
  notice: { margin: '6px 10px', padding: '6px 8px', background: '#2a1f00', color: '#ffd27a', border: '1px solid #5a4300', borderRadius: 4, fontSize: 11.5 },
  status: { margin: '4px 10px', color: C.muted, fontSize: 12 },
  list: { flex: 1, minHeight: 0, overflowY: 'auto', padding: '4px 10px' },
  userMsg: { alignSelf: 'flex-end', background: C.user, borderRadius: 8, padding: '6px 9px', margin: '6px 0 6px 30px', whiteSpace: 'pre-wrap' },
  reply: { background: C.card, border: `1px solid ${C.border}`, borderRadius: 8, padding: '8px 10px', margin: '6px 0' },
  headline: { fontWeight: 600, marginBottom: 4 },
  sectionTitle: { color: C.accent, fontSize: 12, marginTop: 6, textTransform: 'uppercase', letterSpacing: 0.3 },
  item: { display: 'flex', gap: 6, margin: '3px 0' },
  error: { background: '#3a0d12', border: `1px solid ${C.error}`, color: '#ffd0d0', borderRadius: 6, padding: '6px 8px', margin: '6px 0' },
  chips: { display: 'flex', flexWrap: 'wrap', gap: 4, padding: '4px 10px' },
  chip: { background: C.card, color: C.text, border: `1px solid ${C.border}`, borderRadius: 12, padding: '1px 8px', cursor: 'pointer', fontSize: 12 },
  examples: { display: 'flex', flexWrap: 'wrap', gap: 4, padding: '4px 10px' },
  composer: { display: 'flex', gap: 6, padding: 10, borderTop: `1px solid ${C.border}` },
  input: { flex: 1, resize: 'none', background: '#0a0f2a', color: C.text, border: `1px solid ${C.border}`, borderRadius: 6, padding: 6, font: 'inherit', minHeight: 38 },
  send: { background: C.accent, color: '#001018', border: 'none', borderRadius: 6, padding: '0 12px', cursor: 'pointer', fontWeight: 600 },
  progress: { color: C.muted, fontStyle: 'italic', margin: '6px 0' },
};
