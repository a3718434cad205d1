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
  ready: {
    zh: '已就绪,可以提问。用探针、椭圆或自由勾画工具在图上标记。',
    en: 'Ready. Mark points or regions with the Probe, Ellipse or Freehand tools, then ask.',
  },
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
  heatmapTip: { zh: '显示或隐藏病灶热力图', en: 'Show or hide the lesion heatmap' },
  storeSrShort: { zh: '保存 SR', en: 'Store SR' },
  storeSr: { zh: '保存为 DICOM SR', en: 'Store as DICOM SR' },
  srStored: { zh: '结构化报告已保存到 PACS。', en: 'The structured report was stored in the PACS.' },
  srDownloaded: {
    zh: '此图像没有 DICOMweb 服务器,结构化报告无法保存到 PACS,已改为下载文件。',
    en:
      'This image has no DICOMweb server, so the structured report cannot be stored in a PACS; ' +
      'it was downloaded instead.',
  },
  tokenPrompt: { zh: '服务器需要访问令牌,请输入:', en: 'The server needs an access token:' },
  estimate: { zh: '估计', en: 'estimate' },
  userAnchorLabel: { zh: '用户标记', en: 'User mark' },
  serverNote: {
    zh: '图像会发送到 CXR Copilot 服务器({host})进行分析。',
    en: 'The image is sent to the CXR Copilot server ({host}) for analysis.',
  },
  analysingHint: {
    zh: '首次分析约需数秒:解码、解剖分割、病灶检测。',
    en: 'The first analysis takes a few seconds: decoding, anatomy, lesion detection.',
  },
  findings: { zh: '检出病灶', en: 'Findings' },
  noFindings: { zh: '未检出可疑病灶', en: 'No suspicious findings' },
  backToFit: { zh: '返回全图', en: 'Back to fit' },
  show: { zh: '显示', en: 'Show' },
  hide: { zh: '隐藏', en: 'Hide' },
  heatmapOn: { zh: '热力图:开', en: 'Heatmap: on' },
  heatmapOff: { zh: '热力图:关', en: 'Heatmap: off' },
  opacity: { zh: '不透明度', en: 'Opacity' },
  legendLow: { zh: '工作点', en: 'operating point' },
  legendHigh: { zh: '高概率', en: 'high' },
  suggestions: { zh: '建议的问题', en: 'Suggested questions' },
  showReport: { zh: '查看报告', en: 'Show report' },
  present: { zh: '阳性', en: 'present' },
  absent: { zh: '阴性', en: 'absent' },
  indeterminate: { zh: '无法判断', en: 'indeterminate' },
  questionLabel: { zh: '向 CXR Copilot 提问', en: 'Question for CXR Copilot' },
  shortcutHint: {
    zh: 'Alt+/ 聚焦输入框,↑ 调出上一个问题',
    en: 'Alt+/ focuses the question box, ↑ recalls the last question',
  },
  outOfDomain: {
    zh: '此图像不像模型验证所用的成人正位胸片:{reasons}。低置信度的发现已隐藏,结果可能无意义。',
    en:
      'This image is unlike the adult frontal chest films the models were validated on: {reasons}. ' +
      'Low-confidence findings are withheld and results may be meaningless.',
  },
  outOfDomainNoReason: { zh: '原因未说明', en: 'no reason given' },
  nonChest: {
    zh: '此图像的检查部位为“{part}”,不是胸部:结果可能无意义。',
    en: 'This image is labelled body part “{part}”, not chest: results may be meaningless.',
  },
  priorCompare: { zh: '与既往片比较 ({date})', en: 'Compare with prior ({date})' },
  priorAttaching: { zh: '正在分析既往片…', en: 'Analysing the prior…' },
  priorAttached: { zh: '已附加既往片 ({date})', en: 'Prior attached ({date})' },
  priorAttachedInterval: {
    zh: '已附加既往片 ({date},间隔 {days} 天)',
    en: 'Prior attached ({date}, {days} days earlier)',
  },
  priorDateUnknown: { zh: '日期未知', en: 'date unknown' },
  priorDetach: { zh: '取消比较', en: 'Remove prior' },
  priorBeside: { zh: '并排显示', en: 'Side by side' },
  priorSingle: { zh: '单幅显示', en: 'Single view' },
} satisfies Record<string, Record<Lang, string>>;

export type UiKey = keyof typeof ui;

/** Questions offered as chips, each only when its prerequisite exists (panel/suggestions.ts). */
export const QUESTIONS = {
  overview: { zh: '肺部是否有异常?', en: 'Is anything abnormal in the lungs?' },
  ctr: { zh: '心胸比是多少?', en: 'What is the cardiothoracic ratio?' },
  help: { zh: '你能做什么?', en: 'What can I ask?' },
  twoPoints: { zh: '这两个点相距多远?', en: 'How far apart are these two points?' },
  regionSize: { zh: '这个区域有多大?', en: 'How big is this region?' },
  margin: { zh: '{id}边缘是否规则?', en: 'Is the margin of {id} regular?' },
  hilum: { zh: '{id}距离{side}肺门有多远?', en: 'How far is {id} from the {side} hilum?' },
  checklist: {
    zh: '如果这是早期肺癌,典型X线表现应该有哪些?当前影像符合几条?',
    en:
      'If this were early lung cancer, which radiographic features would be typical, ' +
      'and how many does this image show?',
  },
  report: { zh: '生成结构化报告', en: 'Write a structured report' },
  prior: { zh: '和上次比有没有变大?', en: 'Has it grown since the prior film?' },
} satisfies Record<string, Record<Lang, string>>;

/** Fills {name} placeholders. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}

/** zh/en text for each contract error code (api.md 1.8) and the client's own codes. */
const errors: Record<string, Record<Lang, string>> = {
  invalid_request: { zh: '请求无效。', en: 'The request was not valid.' },
  unauthorized: { zh: '需要有效的访问令牌。', en: 'A valid access token is required.' },
  origin_not_allowed: { zh: '此来源不被服务器允许。', en: 'This origin is not allowed by the server.' },
  not_found: {
    zh: '找不到所需内容,可能已过期,请重新打开图像。',
    en: 'Not found; it may have expired. Reopen the image.',
  },
  method_not_allowed: { zh: '服务器不支持此操作。', en: 'The server does not support this action.' },
  source_not_dicom: {
    zh: '该图像不是 DICOM,无法生成 DICOM SR。',
    en: 'The image is not DICOM, so no DICOM SR can be made.',
  },
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
  limit_exceeded: {
    zh: '已达上限(会话、标记或轮次),请开始新的会话。',
    en: 'A limit was reached (sessions, marks or turns); start a new session.',
  },
  internal_error: { zh: '服务器内部错误。', en: 'Internal server error.' },
  dicomweb_error: { zh: 'PACS(DICOMweb)无响应。', en: 'The PACS (DICOMweb) did not answer.' },
  model_unavailable: { zh: '所需模型未加载。', en: 'The model needed for this is not loaded.' },
  dicomweb_unavailable: { zh: '服务器未配置 DICOMweb。', en: 'The server has no DICOMweb configured.' },
  busy: { zh: '服务器繁忙,请稍后重试。', en: 'The server is busy; try again shortly.' },
  analysis_timeout: { zh: '分析超时。', en: 'The analysis timed out.' },
  network_error: { zh: '无法连接服务器。', en: 'Cannot reach the server.' },
  bad_response: { zh: '服务器返回了意外的响应。', en: 'The server sent an unexpected response.' },
  no_prior_image: {
    zh: '既往检查中没有可用的正位胸片。',
    en: 'The prior study has no frontal chest radiograph to compare with.',
  },
  no_image_bytes: { zh: '无法读取当前图像的文件。', en: 'Could not read the current image file.' },
};

/** One UI string in the given language. */
export function t(key: UiKey, lang: Lang): string {
  return ui[key][lang];
}

/** The user-facing sentence for an error code, falling back to the server's English message. */
export function errorText(code: string, lang: Lang, serverMessage?: string): string {
  const known = errors[code];
  if (known) return known[lang];
  return serverMessage ?? errors.internal_error[lang];
}
