import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ensureSignedIn, forgetStoredToken } from '../api/signIn';
import { browserSignIn } from '../api/signInBrowser';
import { cxrConfig } from '../host';
import { EXAMPLES, t } from '../i18n/strings';
import { Composer } from './Composer';
import { Reply } from './Reply';
import { copilotStore } from './store';
import { S } from './styles';

/** Shows `on` only after it has been true for `ms`: quick answers do not flash a spinner. */
function useDelayed(on: boolean, ms = 300): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!on) { setShown(false); return undefined; }
    const timer = window.setTimeout(() => setShown(true), ms);
    return () => window.clearTimeout(timer);
  }, [on, ms]);
  return shown;
}

/** The right-hand chat panel: notice, status, anchors, conversation, examples and the input. */
export function ChatPanel() {
  const store = copilotStore();
  const c = useSyncExternalStore(store.subscribe, store.get);
  const { lang } = c;
  useEffect(() => { store.start(); }, [store]);
  const busy = c.pending || c.phase === 'analysing';
  const showProgress = useDelayed(busy);
  const listEnd = useRef<HTMLDivElement>(null);
  useEffect(() => { listEnd.current?.scrollIntoView({ block: 'end' }); }, [c.messages.length, showProgress]);

  // Ask for the token only when the server says the sign-in cookie is missing; the cookie alone authenticates.
  useEffect(() => {
    forgetStoredToken(window.sessionStorage);
    const cfg = cxrConfig();
    if (cfg.authRequired) void ensureSignedIn(cfg.apiBase ?? '/api/v1', browserSignIn(t('tokenPrompt', lang)));
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const status = c.phase === 'no_image' ? t('noImage', lang) : c.phase === 'ready' ? t('ready', lang) : null;
  const visibleAnchors = c.anchors.filter((a) => a.kind === 'finding' || a.kind === 'user' || a.kind === 'landmark');

  return (
    <div data-cxr="panel" data-phase={c.phase} style={S.root}>
      <div style={S.header}>
        <span style={S.title}>{t('title', lang)}</span>
        <button style={S.smallButton} onClick={() => store.setLang(lang === 'zh' ? 'en' : 'zh')}>{t('language', lang)}</button>
      </div>
      <div data-cxr="notice" style={S.notice}>{t('notice', lang)}</div>
      {status && <div data-cxr="status" style={S.status}>{status}</div>}
      {c.analysis?.warnings.map((w) => <div key={w.code} style={S.status}>⚠ {w.message[lang]}</div>)}
      {visibleAnchors.length > 0 && (
        <div data-cxr="anchors" style={S.chips}>
          <span style={{ color: '#8a98c2', fontSize: 12 }}>{t('anchors', lang)}:</span>
          {visibleAnchors.map((a) => (
            <button key={a.id} data-cxr="anchor-chip" data-anchor={a.id} title={a.label[lang]}
              style={{ ...S.chip, borderColor: c.focus?.anchorId === a.id ? '#5acce6' : undefined }}
              onClick={() => store.focusAnchor(a)}>{a.label[lang] || a.id}</button>
          ))}
          {c.focus && <button style={S.smallButton} onClick={store.clearFocus}>{t('clearFocus', lang)}</button>}
        </div>
      )}
      <div data-cxr="messages" style={S.list}>
        <div style={{ display: 'flex', flexDirection: 'column' }}>
          {c.messages.map((m) => {
            if (m.role === 'user') return <div key={m.id} data-cxr="user-message" style={S.userMsg}>{m.text}</div>;
            if (m.role === 'error') return <div key={m.id} data-cxr="error" role="alert" style={S.error}>{m.text}</div>;
            if (m.turn) return <Reply key={m.id} turn={m.turn} lang={lang} anchors={c.anchors} onAnchor={store.focusAnchor} onSuggest={(q) => void store.ask(q)} />;
            return <div key={m.id} style={S.status}>{m.text}</div>;
          })}
          {showProgress && (
            <div data-cxr="progress" style={S.progress}>{c.phase === 'analysing' ? t('analysing', lang) : t('thinking', lang)}</div>
          )}
          {c.phase === 'failed' && <button style={{ ...S.smallButton, alignSelf: 'flex-start' }} onClick={store.retry}>{t('retry', lang)}</button>}
          <div ref={listEnd} />
        </div>
      </div>
      <div data-cxr="examples" style={S.examples}>
        {EXAMPLES.map((q) => (
          <button key={q} data-cxr="example" style={S.chip} disabled={c.phase !== 'ready' || c.pending} onClick={() => void store.ask(q)}>{q}</button>
        ))}
      </div>
      <Composer lang={lang} disabled={c.phase !== 'ready' || c.pending} onSend={(q) => void store.ask(q)} />
    </div>
  );
}
