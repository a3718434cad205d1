/**
 * The one "this may not be a chest film" warning of the panel: the file's BodyPartExamined and the
 * server's image domain (api.md 4.3 `Analysis.domain`) are two witnesses of the same problem, so
 * they are shown as one warning, with the server's reasons in the current language.
 */
import type { ImageDomain, Lang } from '../api/contract';
import { fill, t } from '../i18n/strings';

const CHEST_PARTS = ['', 'CHEST', 'THORAX', 'LUNG', 'TORSO'];

export function imageWarning(
  bodyPart: string | null | undefined,
  domain: ImageDomain | null | undefined,
  lang: Lang,
): string | null {
  const part = (bodyPart ?? '').trim();
  const partBad = !CHEST_PARTS.includes(part.toUpperCase());
  const outOfDomain = domain?.inDomain === false;
  if (!partBad && !outOfDomain) return null;
  const sentences: string[] = [];
  if (partBad) sentences.push(fill(t('nonChest', lang), { part }));
  if (outOfDomain) {
    const reasons = (domain?.reasons ?? []).map((r) => r[lang]).filter((r) => r && r.trim());
    const text = reasons.length ? reasons.join(lang === 'zh' ? ';' : '; ') : t('outOfDomainNoReason', lang);
    sentences.push(fill(t('outOfDomain', lang), { reasons: text }));
  }
  return sentences.join(lang === 'zh' ? '' : ' ');
}
