import type { Warning, WarningCode } from '../contract';

type ImagingWarning = Extract<
  WarningCode,
  | 'invalid_pixel_spacing'
  | 'no_pixel_spacing'
  | 'spacing_at_detector'
  | 'color_converted'
  | 'lossy_compressed'
  | 'not_frontal_view'
  | 'orientation_assumed'
>;

const MESSAGES: Record<ImagingWarning, { zh: string; en: string }> = {
  invalid_pixel_spacing: {
    zh: '像素间距属性无效，已忽略',
    en: 'A pixel spacing attribute is invalid and was ignored',
  },
  no_pixel_spacing: {
    zh: '图像没有像素间距校准，测量值以像素表示',
    en: 'The image has no pixel spacing calibration; measurements are given in pixels',
  },
  spacing_at_detector: {
    zh: '使用探测器平面像素间距(ImagerPixelSpacing),未经放大率校正,测量值为估计值',
    en: 'Imager Pixel Spacing (detector plane) used without magnification correction; measurements are estimates',
  },
  color_converted: {
    zh: '彩色图像已转换为灰度',
    en: 'The colour image was converted to greyscale',
  },
  lossy_compressed: {
    zh: '图像经过有损压缩，细微结构可能失真',
    en: 'The image was lossy compressed; fine detail may be altered',
  },
  not_frontal_view: {
    zh: '非正位(PA/AP)胸片，解剖分析可能不可用',
    en: 'Not a frontal (PA/AP) view; anatomy analysis may be unavailable',
  },
  orientation_assumed: {
    zh: '缺少患者方位信息，假定为标准方位(患者右侧在图像左侧)',
    en: "Patient orientation is missing; the standard orientation is assumed (patient's right on the image left)",
  },
};

export function warning(code: ImagingWarning): Warning {
  return { code, message: { ...MESSAGES[code] } };
}

export type { ImagingWarning };
