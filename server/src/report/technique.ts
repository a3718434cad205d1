/** Technique, limitations and the disclaimer: what the report rests on and what it cannot say. */
import type { Analysis, Lang } from '../contract';
import { spacingSourceText } from '../geometry/measurement';
import type { Draft } from './draft';
import { lesionModelRan } from './input';

const plain = (text: string): Draft => ({ text, anchorIds: [], signIds: [], evidence: [] });

/** "胸部正位(PA)片", spacing source, models used. */
export function techniqueSection(analysis: Analysis, lesionThreshold: number | null, lang: Lang): Draft[] {
  const vp = analysis.image.viewPosition;
  return [
    { ...plain(viewText(analysis, lang)), evidence: vp ? [{ name: 'viewPosition', value: vp, unit: null }] : [] },
    {
      ...plain(spacingText(analysis, lang)),
      evidence: [{ name: 'spacingSource', value: analysis.image.spacingSource, unit: null }],
    },
    plain(modelsText(analysis, lesionThreshold, lang)),
  ];
}

/** The projection: frontal (PA/AP), lateral or not stated. */
function viewText(analysis: Analysis, lang: Lang): string {
  const img = analysis.image;
  const vp = img.viewPosition;
  const modality = img.modality ? (lang === 'zh' ? `(${img.modality})` : ` (${img.modality})`) : '';
  if (vp === 'PA' || vp === 'AP')
    return lang === 'zh' ? `胸部正位(${vp})片${modality}。` : `Frontal chest radiograph, ${vp} projection${modality}.`;
  if (vp === 'LL' || vp === 'RL' || vp === 'LATERAL')
    return lang === 'zh' ? `胸部侧位片${modality}。` : `Lateral chest radiograph${modality}.`;
  return lang === 'zh'
    ? `胸部X线片${modality},投照体位未注明。`
    : `Chest radiograph${modality}; projection not stated.`;
}

/** Where the pixel spacing comes from; every length is an estimate. */
function spacingText(analysis: Analysis, lang: Lang): string {
  const img = analysis.image;
  const ps = img.pixelSpacingMm;
  const source = spacingSourceText(img.spacingSource, lang);
  if (lang === 'zh') return `测量依据:${source}${ps ? `,${ps[0]} × ${ps[1]} mm` : ''};所有长度与面积均为估计值。`;
  return `Measurements use ${source}${ps ? `, ${ps[0]} × ${ps[1]} mm` : ''}; every length and area is an estimate.`;
}

/** The models used and the lesion detector's operating point. */
function modelsText(analysis: Analysis, lesionThreshold: number | null, lang: Lang): string {
  const models = analysis.models.map((m) => `${m.name} v${m.version} (${m.provider})`);
  if (!models.length)
    return lang === 'zh'
      ? '未使用分析模型(未安装),本报告仅含测量与用户标注。'
      : 'No analysis model was used (none installed); this report contains measurements and user marks only.';
  const t = lesionThreshold?.toFixed(2);
  if (lang === 'zh') return `分析模型:${models.join('、')}${t ? `;病灶检测工作点${t}` : ''}。`;
  return `Models: ${models.join(', ')}${t ? `; lesion detector operating point ${t}` : ''}.`;
}

/** What this analysis cannot establish. */
export function limitationsSection(analysis: Analysis, lang: Lang, anySigns: boolean): Draft[] {
  const out: Draft[] = [];
  const src = analysis.image.spacingSource;
  const warned = (code: string) => analysis.warnings.some((w) => w.code === code);
  if (src === 'none')
    out.push(
      plain(
        lang === 'zh'
          ? '图像无像素间距信息,尺寸以像素表示,无法换算为毫米。'
          : 'The image has no pixel spacing: sizes are in pixels and cannot be converted to millimetres.',
      ),
    );
  else
    out.push(
      plain(
        lang === 'zh'
          ? '投影片上的尺寸受几何放大影响,仅为估计值。'
          : 'Sizes on a projection radiograph are affected by geometric magnification and are estimates only.',
      ),
    );
  for (const w of analysis.warnings) out.push(plain(w.message[lang].replace(/[。.]?$/, lang === 'zh' ? '。' : '.')));
  if (lesionModelRan(analysis)) {
    out.push(
      plain(
        lang === 'zh'
          ? '病灶检测模型对与肺门、心影、膈肌或肺尖重叠的病灶敏感性较低,未检出不能排除病变。'
          : 'The lesion detector is less sensitive where lesions overlap the hila, heart, diaphragm or apices; ' +
              'a negative result does not exclude disease.',
      ),
    );
  } else if (!warned('lesion_model_unavailable')) {
    out.push(
      plain(
        lang === 'zh'
          ? '未加载病灶检测模型,未对肺内病灶进行自动检测。'
          : 'No lesion model was loaded; lung lesions were not searched for automatically.',
      ),
    );
  }
  if (!analysis.anatomy.available && !warned('anatomy_model_unavailable')) {
    out.push(
      plain(
        lang === 'zh'
          ? '未进行解剖分割,位置仅描述到左右侧,心胸比未测量。'
          : 'No anatomy segmentation was available: locations are given by side only ' +
              'and the cardiothoracic ratio was not measured.',
      ),
    );
  }
  if (anySigns) {
    out.push(
      plain(
        lang === 'zh'
          ? 'X线片对钙化、空泡征及支气管充气征的显示远不如CT,相关征象以“无法判断”为准。'
          : 'Radiographs show calcification, vacuoles and air bronchograms far less reliably than CT; ' +
              'signs marked indeterminate remain so.',
      ),
    );
  }
  return out;
}

/** The research-use notice. */
export const disclaimer = (lang: Lang): string =>
  lang === 'zh'
    ? '本报告由CXR Copilot自动生成,仅供科研使用,不能作为临床诊断依据,须经放射科医师审核。'
    : 'Generated automatically by CXR Copilot for research use only; ' +
      'it is not a clinical diagnosis and must be reviewed by a radiologist.';
