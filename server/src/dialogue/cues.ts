import type { ChecklistId, Intent, TargetType } from '../contract';

/**
 * The question grammar: cue patterns per intent, tried in this order (first match wins,
 * except where `needs` says which other cue must be present). Patterns run on NFKC,
 * lower-cased text. Kept as one table so a new phrasing is one line.
 */
export interface IntentCue { intent: Intent; pattern: RegExp; needs?: 'target' | 'twoRefs' | 'structure' | 'subject' }

export const INTENT_CUES: IntentCue[] = [
  { intent: 'help', pattern: /你能做什么|能问什么|可以问什么|怎么用|如何使用|帮助|使用说明|\bhelp\b|what can (i|you)|how (do|can) i (use|ask)|what do you do/ },
  { intent: 'report', pattern: /报告|总结一下|小结|\breport\b|summar(y|ise|ize)|write (it )?up/ },
  { intent: 'cardiothoracic_ratio', pattern: /心胸比|心胸比例|\bctr\b|cardio-?thoracic|heart.{0,12}(size|ratio)|心脏.{0,4}(大小|大不大|增大吗)/ },
  { intent: 'checklist', pattern: /早期肺癌|肺癌|恶性|良性|气胸|胸腔积液|胸水|积液|心脏增大|心影增大|心脏扩大|lung cancer|malignan|benign|pneumothorax|effusion|cardiomegaly|enlarged heart|checklist|criteria/ },
  { intent: 'compare', pattern: /比较|对比|哪个更|哪一个更|有何不同|区别|\bcompare|\bversus\b|\bvs\.?\b|which (one )?is (more|bigger|larger|smaller)/ },
  { intent: 'relation_landmark', pattern: /距离|多远|相连|连接|相通|关系|接触|贴近|侵犯|distance|how far|connect|attach|touch|reach|relation|close to|near/, needs: 'target' },
  { intent: 'distance', pattern: /距离|多远|相距|间距|相隔|隔多|distance|how far|apart|between|gap/ },
  { intent: 'show_anatomy', pattern: /显示|画出|标出|勾画|勾勒|标注|展示|\bshow\b|display|outline|draw|highlight|delineate|segment/, needs: 'structure' },
  { intent: 'margin', pattern: /边缘|边界|轮廓|毛刺|分叶|光整|光滑|规则|脐凹|切迹|margin|border|edge|contour|spicul|lobulat|smooth|regular|notch/ },
  { intent: 'density', pattern: /密度|钙化|空洞|空泡|内部|支气管充气|充气征|均匀|density|calcif|cavit|vacuol|bubble|internal|inside it|air bronchogram|homogeneous|uniform/ },
  { intent: 'size', pattern: /多大|大小|尺寸|面积|直径|长径|短径|多长|多宽|size|how big|how large|diameter|area|measure|dimension/ },
  { intent: 'location', pattern: /在哪|哪里|哪儿|位置|位于|哪个叶|哪一叶|哪叶|定位|where|location|locat|which lobe|position/ },
  { intent: 'overview', pattern: /异常|病变|病灶吗|有无|有没有|正常吗|是否正常|问题吗|发现什么|看到什么|阅片|abnormal|normal\??$|any (finding|lesion|nodule|abnormalit)|findings|anything (wrong|suspicious|abnormal)|what do you see|look at the (lungs|image|film)|is (it|this|the image) normal/ },
  { intent: 'describe_finding', pattern: /描述|介绍|讲讲|说说|详细|特征|什么样|怎么样|describe|tell me (more )?about|what (is|does) (this|that|it|a\d+)|characteri[sz]e|details?/, needs: 'subject' },
];

/** Checklist ids by cue (api.md 10.4). Order matters: the first that matches wins. */
export const CHECKLIST_CUES: { id: ChecklistId; pattern: RegExp }[] = [
  { id: 'benign_nodule', pattern: /良性|benign/ },
  { id: 'early_lung_cancer', pattern: /早期肺癌|肺癌|恶性|lung cancer|malignan|carcinoma/ },
  { id: 'pneumothorax', pattern: /气胸|pneumothorax/ },
  { id: 'pleural_effusion', pattern: /胸腔积液|胸水|积液|effusion/ },
  { id: 'cardiomegaly', pattern: /心脏增大|心影增大|心脏扩大|cardiomegaly|enlarged heart/ },
];

/** Landmark and surface targets of relation questions (api.md 10.3). */
export const TARGET_CUES: { type: TargetType; pattern: RegExp }[] = [
  { type: 'hilum', pattern: /肺门|hil(um|ar|a)\b/ },
  { type: 'chest_wall', pattern: /胸壁|chest ?wall/ },
  { type: 'pleura', pattern: /胸膜|pleura/ },
  { type: 'diaphragm', pattern: /膈肌|膈顶|横膈|膈面|diaphragm/ },
  { type: 'carina', pattern: /隆突|carina/ },
];

export const SIDE_BEFORE = /(右|左|right|left|r\.?|l\.?)\s*(侧)?\s*$/;

/** Descriptor cues (api.md 10.3): shape, border, finding type, size rank, ordinal. */
export const DESCRIPTOR_CUES: { type: 'shape' | 'border' | 'findingType' | 'sizeRank'; value: string; pattern: RegExp }[] = [
  { type: 'shape', value: 'round', pattern: /类圆形|圆形|圆的|球形|\bround(ed)?\b|circular/ },
  { type: 'shape', value: 'oval', pattern: /椭圆|卵圆|\boval\b|ovoid|elliptical/ },
  { type: 'shape', value: 'irregular', pattern: /不规则形|形态不规则|irregular(ly shaped)?/ },
  { type: 'shape', value: 'streaky', pattern: /条索|索条|streak/ },
  { type: 'shape', value: 'linear', pattern: /线状|线样|条状|\blinear\b|band-?like/ },
  { type: 'border', value: 'well_defined', pattern: /边界清|边缘清|well[- ]defined|sharp(ly)? defined/ },
  { type: 'border', value: 'ill_defined', pattern: /边界模糊|边缘模糊|边界不清|ill[- ]defined|blurr?(ed|y)|fuzzy|hazy/ },
  { type: 'findingType', value: 'mass', pattern: /肿块|\bmass\b/ },
  { type: 'findingType', value: 'nodule', pattern: /结节|nodul/ },
  { type: 'findingType', value: 'opacity', pattern: /片状影|实变|磨玻璃|渗出|opacit|consolidat|ground[- ]glass/ },
  { type: 'sizeRank', value: 'largest', pattern: /最大|较大|大的那|大一点|bigger|biggest|larger|largest/ },
  { type: 'sizeRank', value: 'smallest', pattern: /最小|较小|小的那|小一点|smaller|smallest/ },
];

export const ORDINAL_CUE = /第\s*([一二三四五六七八九十\d]+)\s*(个|处|枚)|\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\b/;
export const ORDINAL_WORDS: Record<string, number> = {
  一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10,
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4, '5th': 5,
};

/** Reference cues (api.md 10.3). */
export const RECENT_CUE = /这(两|俩|2)个?(点|标记|区域|位置)?|那(两|俩)个?(点|标记|区域)?|两(个)?点之间|(these|those|the) (two|2) (points|marks|regions|spots)|both points|the points/;
export const ALL_CUE = /所有|全部|都|各个|每个|\ball\b|\bboth\b|\bthem\b|\beach\b/;
export const DEICTIC_CUE = /这个|那个|这处|那处|该病灶|该结节|该区域|该处|上述|前述|刚才|那里|这里|它|这枚|此病灶|此处|\bthis\b|\bthat\b|\bit\b|\bits\b|\bthe lesion\b|\bthe nodule\b|\bthe same\b|\bthere\b/;
export const EXPLICIT_ID = /\ba(\d{1,3})\b/g;
