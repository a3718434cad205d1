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
  const scrolledFor = useRef<{ id?: CopilotState['messages'][number]['id']; progress?: boolean }>({});
  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    const last = c.messages[c.messages.length - 1];
    const node = last ? el.querySelector<HTMLElement>(`[data-msg="${last.id}"]`) : null;
    if (last?.id === scrolledFor.current.id && progress === scrolledFor.current.progress) return;
    scrolledFor.current = { id: last?.id, progress };
    if (last?.role === 'assistant' && node) el.scrollTop = node.offsetTop - el.offsetTop - 4;
    else el.scrollTop = el.scrollHeight;
    // Only a new message or the progress line moves the list; re-renders of the same list do not.
  }, [list, c.messages, progress]);
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

/** Asks for the token only when the server says the sign-in cookie is missing; the cookie alone authenticates. */
function useSignIn(lang: CopilotState['lang']): void {
  // Once per panel: the prompt speaks the language the panel opened in.
  const promptLang = useRef(lang);
  useEffect(() => {
    forgetStoredToken(window.sessionStorage);
    const cfg = cxrConfig();
    if (cfg.authRequired)
      void ensureSignedIn(cfg.apiBase ?? '/api/v1', browserSignIn(t('tokenPrompt', promptLang.current)));
  }, [promptLang]);
}

type Store = ReturnType<typeof copilotStore>;

/** Findings, the prior-comparison offer and the heatmap control above the conversation. */
function TopControls({ c, store }: { c: CopilotState; store: Store }) {
  const { lang } = c;
  return (
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
          onBeside={() => void store.toggleBeside()}
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
  );
}

/** One message of the conversation: the user's question, an error, a reply or a status line. */
function Message({ m, c, store }: { m: CopilotState['messages'][number]; c: CopilotState; store: Store }) {
  if (m.role === 'user')
    return (
      <div data-msg={m.id} data-cxr="user-message" style={S.userMsg}>
        {m.text}
      </div>
    );
  if (m.role === 'error')
    return (
      <div data-msg={m.id} data-cxr="error" role="alert" style={S.error}>
        {m.text}
      </div>
    );
  if (m.turn)
    return (
      <div data-msg={m.id}>
        <Reply
          turn={m.turn}
          lang={c.lang}
          anchors={c.anchors}
          suggestions={usableServerSuggestions(m.turn.answer.suggestions, c.anchors, c.analysis)}
          onAnchor={store.focusAnchor}
          onSuggest={(q) => void store.ask(q)}
        />
      </div>
    );
  return (
    <div data-msg={m.id} style={S.status}>
      {m.text}
    </div>
  );
}

/** "Analysing…" (with its hint) or "Thinking…" while the server works. */
function Progress({ c }: { c: CopilotState }) {
  return (
    <div data-cxr="progress" role="status" style={S.progress}>
      {c.phase === 'analysing' ? (
        <>
          {t('analysing', c.lang)}
          <div style={{ fontSize: 11 }}>{t('analysingHint', c.lang)}</div>
        </>
      ) : (
        t('thinking', c.lang)
      )}
    </div>
  );
}

/** Suggested questions (and the store-SR action) under the conversation. */
function Chips({ c, store }: { c: CopilotState; store: Store }) {
  const turns = c.messages.flatMap((m) => (m.turn ? [m.turn] : [])) as Turn[];
  const chips = suggestionChips({
    lang: c.lang,
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
  if (!chips.length) return null;
  return (
    <div data-cxr="examples" aria-label={t('suggestions', c.lang)} style={S.examples}>
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
  useSignIn(lang);
  const lastQuestion = [...c.messages].reverse().find((m) => m.role === 'user')?.text ?? null;

  return (
    <div data-cxr="panel" data-phase={c.phase} lang={lang === 'zh' ? 'zh-CN' : 'en'} style={S.root}>
      <div style={S.header}>
        <span style={S.title}>{t('title', lang)}</span>
      </div>
      <TopControls c={c} store={store} />
      <div ref={list} data-cxr="messages" aria-live="polite" aria-relevant="additions" style={S.list}>
        {c.messages.map((m) => (
          <Message key={m.id} m={m} c={c} store={store} />
        ))}
        {showProgress && <Progress c={c} />}
        {c.phase === 'failed' && c.retryable && (
          <button data-cxr="retry" style={{ ...S.smallButton, alignSelf: 'flex-start' }} onClick={store.retry}>
            {t('retry', lang)}
          </button>
        )}
      </div>
      <Chips c={c} store={store} />
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
