import type { Warning, WarningCode } from '../contract';

type AnalysisWarning = Extract<
  WarningCode,
  'situs_or_flip_suspected' | 'anatomy_model_unavailable' | 'lesion_model_unavailable' | 'execution_provider_fallback'
>;

const MESSAGES: Record<AnalysisWarning, { zh: string; en: string }> = {
  situs_or_flip_suspected: {
    zh: '心影位于患者右侧:可能为右位心或图像左右翻转,请核对方位',
    en: "The heart lies on the patient's right: dextrocardia or a flipped image; check the orientation",
  },
  anatomy_model_unavailable: {
    zh: '未安装解剖分割模型:不提供解剖定位、分区与心胸比',
    en: 'No anatomy model is installed: no anatomical map, zones or cardiothoracic ratio',
  },
  lesion_model_unavailable: {
    zh: '未安装病灶检测模型:不提供结节、肿块或实变的自动检出',
    en: 'No lesion model is installed: nodules, masses and opacities are not detected',
  },
  execution_provider_fallback: {
    zh: '请求的推理设备不可用,已回退到CPU',
    en: 'The requested execution provider is not available; inference fell back to the CPU',
  },
};

/** A model-side analysis warning with its bilingual message. */
export function analysisWarning(code: AnalysisWarning): Warning {
  return { code, message: { ...MESSAGES[code] } };
}

export const isAnalysisWarning = (c: WarningCode): c is AnalysisWarning => c in MESSAGES;
