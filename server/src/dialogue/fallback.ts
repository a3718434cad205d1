/**
 * The scored fallback for questions no cue rule understands (issue 14): a multinomial naive Bayes
 * over character n-grams (CJK 1–2-grams; Latin words, word pairs and 3-grams; smoothing 0.25, chosen
 * by 5-fold CV), trained at start-up on the paraphrase bank ontology/dialogue/paraphrases.json. It
 * decides only when no rule fired and its posterior clears `MIN_POSTERIOR`; otherwise the answer
 * stays `unknown`. The bank has an `unknown` class (off-topic questions), so chit-chat is not pushed
 * into an image intent.
 */
import type { Intent } from '../contract';
import paraphraseData from '../../../ontology/dialogue/paraphrases.json';
import { normalizeForCues } from './normalize';

/** The fallback's posterior must reach this to override `unknown`. */
export const MIN_POSTERIOR = 0.6;
const ALPHA = 0.25;

/** Features of a normalised question: CJK unigrams and bigrams, Latin words and padded 3-grams. */
export function features(text: string): string[] {
  const out: string[] = [];
  const noIds = text.replace(/(?<![a-z0-9])a-?\d{1,3}(?![0-9a-z])/g, ' ');
  for (const run of noIds.match(/[\u3400-\u9fff]+/g) ?? []) {
    const cs = [...run];
    cs.forEach((c, i) => {
      out.push(`c:${c}`);
      if (i + 1 < cs.length) out.push(`b:${c}${cs[i + 1]}`);
    });
  }
  const ws = noIds.match(/[a-z']+/g) ?? [];
  for (let i = 0; i + 1 < ws.length; i++) out.push(`v:${ws[i]} ${ws[i + 1]}`);
  for (const w of ws) {
    out.push(`w:${w}`);
    const p = `<${w}>`;
    for (let i = 0; i + 3 <= p.length; i++) out.push(`t:${p.slice(i, i + 3)}`);
  }
  if (/[?？]/.test(text)) out.push('q:?');
  return out;
}

export interface NaiveBayes {
  classes: Intent[];
  prior: Map<Intent, number>;
  logp: Map<Intent, Map<string, number>>;
  unseen: Map<Intent, number>;
}

export function train(bank: Partial<Record<Intent, string[]>>): NaiveBayes {
  const classes = Object.keys(bank) as Intent[];
  const total = classes.reduce((n, c) => n + (bank[c]?.length ?? 0), 0);
  const vocab = new Set<string>();
  const counts = new Map<Intent, Map<string, number>>();
  const sums = new Map<Intent, number>();
  for (const c of classes) {
    const m = new Map<string, number>();
    let sum = 0;
    for (const q of bank[c] ?? [])
      for (const f of features(normalizeForCues(q).text)) {
        m.set(f, (m.get(f) ?? 0) + 1);
        vocab.add(f);
        sum++;
      }
    counts.set(c, m);
    sums.set(c, sum);
  }
  const V = vocab.size;
  const prior = new Map<Intent, number>();
  const logp = new Map<Intent, Map<string, number>>();
  const unseen = new Map<Intent, number>();
  for (const c of classes) {
    prior.set(c, Math.log((bank[c]?.length ?? 0) / total));
    const denom = sums.get(c)! + ALPHA * V;
    const m = new Map<string, number>();
    for (const [f, n] of counts.get(c)!) m.set(f, Math.log((n + ALPHA) / denom));
    logp.set(c, m);
    unseen.set(c, Math.log(ALPHA / denom));
  }
  return { classes, prior, logp, unseen };
}

/** Posterior over intents for a normalised question, best first. */
export function classify(model: NaiveBayes, normalizedText: string): { intent: Intent; p: number }[] {
  const fs = features(normalizedText);
  const scores = model.classes.map((c) => {
    const lp = model.logp.get(c)!;
    let s = model.prior.get(c)!;
    for (const f of fs) s += lp.get(f) ?? model.unseen.get(c)!;
    return { intent: c, s };
  });
  const max = Math.max(...scores.map((x) => x.s));
  const z = scores.reduce((a, x) => a + Math.exp(x.s - max), 0);
  return scores.map((x) => ({ intent: x.intent, p: Math.exp(x.s - max) / z })).sort((a, b) => b.p - a.p);
}

/** The model trained on the paraphrase bank, once at start-up (~0.1 s), so no turn pays for it. */
let MODEL: NaiveBayes = train((paraphraseData as { intents: Partial<Record<Intent, string[]>> }).intents);
export function fallbackModel(): NaiveBayes {
  return MODEL;
}
/** Swaps the model (cross-validation in tests); returns the previous one. */
export function useFallbackModel(m: NaiveBayes): NaiveBayes {
  const prev = MODEL;
  MODEL = m;
  return prev;
}

/** The fallback's decision for a question no rule understood: an intent, or null (stay `unknown`). */
export function fallbackIntent(
  normalizedText: string,
  minPosterior = MIN_POSTERIOR,
): { intent: Intent; p: number } | null {
  const best = classify(fallbackModel(), normalizedText)[0];
  return best && best.intent !== 'unknown' && best.p >= minPosterior ? best : null;
}
