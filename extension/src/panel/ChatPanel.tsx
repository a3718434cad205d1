import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ensureSignedIn, forgetStoredToken } from '../api/signIn';
import { browserSignIn } from '../api/signInBrowser';
import type { Turn } from '../api/contract';
import { commandsManager, cxrConfig, heatmapLegendCss } from '../host';
import { fill, t } from '../i18n/strings';
import { Composer } from './Composer';
import { copilotStore } from './copilot';
import { FindingsList } from './FindingsList';
import { HeatmapControl } from './HeatmapControl';
import { imageWarning } from './imageWarning';
import { PriorControl } from './PriorControl';
import { Reply } from './Reply';
import type { CopilotState } from './store';
import { suggestionChips, usableServerSuggestions, type Chip } from './suggestions';
import { C, S } from './styles';

/** Shows `on` only after it has been true for `ms`: quick answers do not flash a spinner. */
function useDelayed(on: boolean, ms = 300): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!on) {
      setShown(false);
      return undefined;
    }
    const timer = window.setTimeout(() => setShown(true), ms);
    return () => window.clearTimeout(timer);
  }, [on, ms]);
  return shown;
}

/** Where the server runs, for the note that the image is sent there. */
function serverHost(): string {
  try {
    return new URL(cxrConfig().apiBase ?? '/api/v1', window.location.href).host;
  } catch {
    return window.location.host;
  }
}

/**
 * New replies scroll so that their headline is at the top of the list (not their end); the user's
 * own message and the progress line scroll to the bottom.
 */
function useScrollToNewest(list: React.RefObject<HTMLDivElement>, c: CopilotState, progress: boolean): void {
  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    const last = c.messages[c.messages.length - 1];
    const node = last ? el.querySelector<HTMLElement>(`[data-msg="${last.id}"]`) : null;
    if (last?.role === 'assistant' && node) el.scrollTop = node.offsetTop - el.offsetTop - 4;
    else el.scrollTop = el.scrollHeight;
  }, [c.messages.length, progress]); // eslint-disable-line react-hooks/exhaustive-deps
}

/** Alt+/ focuses the question box from anywhere in the viewer. */
function useFocusShortcut(input: React.RefObject<HTMLTextAreaElement>): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && (e.key === '/' || e.code === 'Slash')) {
        e.preventDefault();
        input.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [input]);
}

function Notices({ c }: { c: CopilotState }) {
  const { lang } = c;
  const warning = imageWarning(copilotStore().currentImage()?.bodyPart, c.analysis?.domain, lang);
  const status = c.phase === 'no_image' ? t('noImage', lang) : c.phase === 'ready' ? t('ready', lang) : null;
  return (
    <>
      <div data-cxr="notice" style={S.notice}>
        {t('notice', lang)}
      </div>
      <div data-cxr="server-note" style={S.status}>
        {fill(t('serverNote', lang), { host: serverHost() })}
      </div>
      {warning && (
        <div data-cxr="warning" data-kind="image-domain" role="alert" style={S.warning}>
          ⚠ {warning}
        </div>
      )}
      {status && (
        <div data-cxr="status" style={S.status}>
          {status}
        </div>
      )}
      {c.analysis?.warnings.map((w) => (
        <div key={w.code} data-cxr="warning" style={S.warning}>
          ⚠ {w.message[lang]}
        </div>
      ))}
    </>
  );
}

/** The right-hand panel: notices, findings, heatmap, conversation, suggestion chips and the input. */
export function ChatPanel() {
  const store = copilotStore();
  const c = useSyncExternalStore(store.subscribe, store.get);
  const { lang } = c;
  useEffect(() => {
    store.start();
  }, [store]);
  const busy = c.pending || c.phase === 'analysing';
  const showProgress = useDelayed(busy);
  const list = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  useScrollToNewest(list, c, showProgress);
  useFocusShortcut(input);

  // Ask for the token only when the server says the sign-in cookie is missing; the cookie alone authenticates.
  useEffect(() => {
    forgetStoredToken(window.sessionStorage);
    const cfg = cxrConfig();
    if (cfg.authRequired) void ensureSignedIn(cfg.apiBase ?? '/api/v1', browserSignIn(t('tokenPrompt', lang)));
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const turns = c.messages.flatMap((m) => (m.turn ? [m.turn] : [])) as Turn[];
  const chips = suggestionChips({
    lang,
    ready: c.phase === 'ready' && !c.pending,
    anchors: c.anchors,
    analysis: c.analysis,
    turns,
    priorAttached: !!c.prior.attached,
  });
  const runChip = (chip: Chip) => {
    if (chip.action === 'storeSr') void commandsManager().runCommand('cxrStoreSr');
    else if (chip.question) void store.ask(chip.question);
  };
  const lastQuestion = [...c.messages].reverse().find((m) => m.role === 'user')?.text ?? null;

  return (
    <div data-cxr="panel" data-phase={c.phase} lang={lang === 'zh' ? 'zh-CN' : 'en'} style={S.root}>
      <div style={S.header}>
        <span style={S.title}>{t('title', lang)}</span>
      </div>
      <div style={S.top}>
        <Notices c={c} />
        {c.phase === 'ready' && (
          <FindingsList
            lang={lang}
            anchors={c.anchors}
            analysis={c.analysis}
            focusId={c.focus?.anchorId ?? null}
            zoomed={c.zoomed}
            hidden={c.hidden}
            onFocus={store.focusAnchor}
            onToggle={store.toggleAnchor}
            onFit={store.clearFocus}
          />
        )}
        {c.phase === 'ready' && (
          <PriorControl
            lang={lang}
            prior={c.prior}
            disabled={c.pending}
            onAttach={() => void store.attachPrior()}
            onDetach={() => void store.detachPrior()}
          />
        )}
        {c.heatmap.available && (
          <HeatmapControl
            lang={lang}
            shown={c.heatmap.shown}
            opacity={c.heatmap.opacity}
            legend={heatmapLegendCss()}
            onToggle={store.toggleHeatmap}
            onOpacity={store.setHeatmapOpacity}
          />
        )}
      </div>
      <div ref={list} data-cxr="messages" aria-live="polite" aria-relevant="additions" style={S.list}>
        {c.messages.map((m) => {
          if (m.role === 'user')
            return (
              <div key={m.id} data-msg={m.id} data-cxr="user-message" style={S.userMsg}>
                {m.text}
              </div>
            );
          if (m.role === 'error')
            return (
              <div key={m.id} data-msg={m.id} data-cxr="error" role="alert" style={S.error}>
                {m.text}
              </div>
            );
          if (m.turn) {
            return (
              <div key={m.id} data-msg={m.id}>
                <Reply
                  turn={m.turn}
                  lang={lang}
                  anchors={c.anchors}
                  suggestions={usableServerSuggestions(m.turn.answer.suggestions, c.anchors, c.analysis)}
                  onAnchor={store.focusAnchor}
                  onSuggest={(q) => void store.ask(q)}
                />
              </div>
            );
          }
          return (
            <div key={m.id} data-msg={m.id} style={S.status}>
              {m.text}
            </div>
          );
        })}
        {showProgress && (
          <div data-cxr="progress" role="status" style={S.progress}>
            {c.phase === 'analysing' ? (
              <>
                {t('analysing', lang)}
                <div style={{ fontSize: 11 }}>{t('analysingHint', lang)}</div>
              </>
            ) : (
              t('thinking', lang)
            )}
          </div>
        )}
        {c.phase === 'failed' && c.retryable && (
          <button data-cxr="retry" style={{ ...S.smallButton, alignSelf: 'flex-start' }} onClick={store.retry}>
            {t('retry', lang)}
          </button>
        )}
      </div>
      {chips.length > 0 && (
        <div data-cxr="examples" aria-label={t('suggestions', lang)} style={S.examples}>
          {chips.map((chip) => (
            <button
              key={chip.text}
              data-cxr="example"
              data-action={chip.action ?? ''}
              disabled={c.pending}
              style={chip.action ? { ...S.chip, color: C.accent } : S.chip}
              onClick={() => runChip(chip)}
            >
              {chip.text}
            </button>
          ))}
        </div>
      )}
      <Composer
        ref={input}
        lang={lang}
        lastQuestion={lastQuestion}
        disabled={c.phase !== 'ready' || c.pending}
        onSend={(q) => void store.ask(q)}
      />
    </div>
  );
}
