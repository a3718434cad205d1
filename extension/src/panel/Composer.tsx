import { forwardRef, useRef, useState, type KeyboardEvent } from 'react';
import type { Lang } from '../api/contract';
import { t } from '../i18n/strings';
import { S } from './styles';

/**
 * The question box. Enter sends, Shift+Enter breaks the line, ↑ in an empty box recalls the last
 * question, and Enter while an IME is composing (pinyin candidates) only confirms the candidate:
 * checked through isComposing, our own compositionstart/end flag, and keyCode 229 that some
 * browsers send instead.
 */
export const Composer = forwardRef<
  HTMLTextAreaElement,
  { lang: Lang; disabled: boolean; lastQuestion: string | null; onSend: (text: string) => void }
>(function Composer({ lang, disabled, lastQuestion, onSend }, ref) {
  const [text, setText] = useState('');
  const composing = useRef(false);
  const send = () => {
    if (disabled || !text.trim()) return;
    onSend(text);
    setText('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing || composing.current || e.keyCode === 229) return;
    if (e.key === 'ArrowUp' && !text && lastQuestion) {
      e.preventDefault();
      setText(lastQuestion);
      return;
    }
    if (e.key !== 'Enter' || e.shiftKey) return;
    e.preventDefault();
    send();
  };
  return (
    <div style={S.composer}>
      <label htmlFor="cxr-question" style={S.visuallyHidden}>
        {t('questionLabel', lang)}
      </label>
      <textarea
        id="cxr-question"
        ref={ref}
        data-cxr="input"
        rows={2}
        style={S.input}
        value={text}
        placeholder={t('placeholder', lang)}
        title={t('shortcutHint', lang)}
        onChange={(e) => setText(e.target.value)}
        onCompositionStart={() => {
          composing.current = true;
        }}
        onCompositionEnd={() => {
          composing.current = false;
        }}
        onKeyDown={onKeyDown}
      />
      <button data-cxr="send" style={{ ...S.send, opacity: disabled ? 0.5 : 1 }} disabled={disabled} onClick={send}>
        {t('send', lang)}
      </button>
    </div>
  );
});
