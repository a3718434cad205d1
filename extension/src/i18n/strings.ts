/** Every zh/en string of the extension's UI, in one place. Server answers arrive already translated. */
import type { Lang } from '../api/contract';

const ui = {
  title: { zh: 'CXR Copilot 胸片问答', en: 'CXR Copilot' },
  notice: {
    zh: '仅供研究使用,不用于临床诊断。所有尺寸均为投影片上的估计值。',
    en: 'For research use only, not for clinical diagnosis. All sizes are estimates on a projection image.',
  },
  noImage: { zh: '请先打开一张胸片。', en: 'Open a chest radiograph first.' },
  analysing: { zh: '正在分析图像…', en: 'Analysing the image…' },
  thinking: { zh: '正在思考…', en: 'Working…' },
  ready: { zh: '已就绪,可以提问。用探针、椭圆或自由勾画工具在图上标记。', en: 'Ready. Mark points or regions with the Probe, Ellipse or Freehand tools, then ask.' },
  placeholder: { zh: '输入问题,回车发送', en: 'Ask a question (Enter sends)' },
  send: { zh: '发送', en: 'Send' },
  examples: { zh: '示例问题', en: 'Examples' },
  anchors: { zh: '标记', en: 'Anchors' },
  focus: { zh: '当前焦点', en: 'Focus' },
  clearFocus: { zh: '取消焦点', en: 'Clear focus' },
  retry: { zh: '重试', en: 'Retry' },
  you: { zh: '我', en: 'You' },
  checklistCount: { zh: '符合', en: 'Met' },
  heatmap: { zh: '热力图', en: 'Heatmap' },
  storeSr: { zh: '保存为 DICOM SR', en: 'Store as DICOM SR' },
  srStored: { zh: '结构化报告已保存到 PACS。', en: 'The structured report was stored in the PACS.' },
  srDownloaded: { zh: '结构化报告已下载。', en: 'The structured report was downloaded.' },
  tokenPrompt: { zh: '服务器需要访问令牌,请输入:', en: 'The server needs an access token:' },
  estimate: { zh: '估计', en: 'estimate' },
  language: { zh: 'English', en: '中文' },
  userAnchorLabel: { zh: '用户标记', en: 'User mark' },
} satisfies Record<string, Record<Lang, string>>;

export type UiKey = keyof typeof ui;

/** Example questions offered as buttons (both languages, whatever the UI language). */
export const EXAMPLES: string[] = ['肺部是否有异常?', '这两个点相距多远?', '这个区域有多大?', '心胸比是多少?', 'What can I ask?'];

/** zh/en text for each contract error code (api.md 1.8) and the client's own codes. */
const errors: Record<string, Record<Lang, string>> = {
  invalid_request: { zh: '请求无效。', en: 'The request was not valid.' },
  unauthorized: { zh: '需要有效的访问令牌。', en: 'A valid access token is required.' },
  origin_not_allowed: { zh: '此来源不被服务器允许。', en: 'This origin is not allowed by the server.' },
  not_found: { zh: '找不到所需内容,可能已过期,请重新打开图像。', en: 'Not found; it may have expired. Reopen the image.' },
  method_not_allowed: { zh: '服务器不支持此操作。', en: 'The server does not support this action.' },
  source_not_dicom: { zh: '该图像不是 DICOM,无法生成 DICOM SR。', en: 'The image is not DICOM, so no DICOM SR can be made.' },
  anchor_not_deletable: { zh: '只能删除用户标记。', en: 'Only user marks can be deleted.' },
  payload_too_large: { zh: '文件太大。', en: 'The file is too large.' },
  unsupported_media_type: { zh: '不支持的文件类型。', en: 'Unsupported file type.' },
  unsupported_transfer_syntax: { zh: '不支持该 DICOM 压缩格式。', en: 'This DICOM compression is not supported.' },
  not_dicom: { zh: '文件不是 DICOM。', en: 'The file is not DICOM.' },
  malformed_dicom: { zh: 'DICOM 文件损坏。', en: 'The DICOM file is malformed.' },
  truncated_pixel_data: { zh: '像素数据不完整。', en: 'The pixel data is truncated.' },
  no_pixel_data: { zh: '文件没有像素数据。', en: 'The file has no pixel data.' },
  pixel_data_size_mismatch: { zh: '像素数据大小不符。', en: 'The pixel data has the wrong size.' },
  image_too_large: { zh: '图像尺寸过大。', en: 'The image is too large.' },
  nesting_too_deep: { zh: 'DICOM 序列嵌套过深。', en: 'The DICOM sequences are nested too deeply.' },
  unsupported_pixel_format: { zh: '不支持的像素格式。', en: 'Unsupported pixel format.' },
  invalid_image: { zh: '图像无法解码。', en: 'The image could not be decoded.' },
  limit_exceeded: { zh: '已达上限(会话、标记或轮次),请开始新的会话。', en: 'A limit was reached (sessions, marks or turns); start a new session.' },
  internal_error: { zh: '服务器内部错误。', en: 'Internal server error.' },
  dicomweb_error: { zh: 'PACS(DICOMweb)无响应。', en: 'The PACS (DICOMweb) did not answer.' },
  model_unavailable: { zh: '所需模型未加载。', en: 'The model needed for this is not loaded.' },
  dicomweb_unavailable: { zh: '服务器未配置 DICOMweb。', en: 'The server has no DICOMweb configured.' },
  busy: { zh: '服务器繁忙,请稍后重试。', en: 'The server is busy; try again shortly.' },
  analysis_timeout: { zh: '分析超时。', en: 'The analysis timed out.' },
  network_error: { zh: '无法连接服务器。', en: 'Cannot reach the server.' },
  bad_response: { zh: '服务器返回了意外的响应。', en: 'The server sent an unexpected response.' },
  no_image_bytes: { zh: '无法读取当前图像的文件。', en: 'Could not read the current image file.' },
};

/** One UI string in the given language. */
export function t(key: UiKey, lang: Lang): string { return ui[key][lang]; }

/** The user-facing sentence for an error code, falling back to the server's English message. */
export function errorText(code: string, lang: Lang, serverMessage?: string): string {
  const known = errors[code];
  if (known) return known[lang];
  return serverMessage ?? errors.internal_error[lang];
}

/** The UI language: Chinese for zh* browsers, else English. */
export function defaultLang(): Lang {
  return (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
