import { item, section, tr, type IntentResult, type TurnContext } from '../context';

/** Intents whose analysers are not installed in this build: say so, invent nothing. */
export function notAvailable(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  return {
    headline: tr(l, '这类问题所需的分析器在当前版本中尚未提供,无法作答。', 'The analyser this question needs is not available in this version, so it cannot be answered.'),
    sections: [section('limits', tr(l, '限制', 'Limits'), [item(tr(l, '不会在没有测量证据的情况下给出结论。', 'No conclusion is given without measured evidence.'))])],
    suggestions: [tr(l, '你能做什么?', 'What can I ask?')],
  };
}
