import { useRef, useState, type KeyboardEvent } from 'react';
import type { Lang } from '../api/contract';
import { t } from '../i18n/strings';
import { S } from './styles';

/**
 * The question box. Enter sends, Shift+Enter breaks the line, and Enter while an IME is composing
 * (pinyin candidates) only confirms the candidate: checked through isComposing, our own
 * compositionstart/end flag, and keyCode 229 that some browsers send instead.
 */
export function Composer({ lang, disabled, onSend }: { lang: Lang; disabled: boolean; onSend: (text: string) => void }) {
  const [text, setText] = useState('');
  const composing = useRef(false);
  const send = () => {
    if (disabled || !text.trim()) return;
    onSend(text);
    setText('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Enter' || e.shiftKey) return;
    if (e.nativeEvent.isComposing || composing.current || e.keyCode === 229) return;
    e.preventDefault();
    send();
  };
  return (
    <div style={S.composer}>
      <textarea
        data-cxr="input"
        rows={2}
        style={S.input}
        value={text}
        placeholder={t('placeholder', lang)}
        onChange={(e) => setText(e.target.value)}
        onCompositionStart={() => { composing.current = true; }}
        onCompositionEnd={() => { composing.current = false; }}
        onKeyDown={onKeyDown}
      />
      <button data-cxr="send" style={{ ...S.send, opacity: disabled ? 0.5 : 1 }} disabled={disabled} onClick={send}>{t('send', lang)}</button>
    </div>
  );
}
