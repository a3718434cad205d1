import type { ChecklistId, Intent } from '../contract';

/**
 * The question grammar. Patterns run on NFKC, lower-cased, typo-corrected text
 * (normalize.ts `normalizeForCues`). Intent cues run on the text with anatomy mentions and
 * attributive descriptors blanked out ("右肺中叶那个圆形影" must not vote for anything, and
 * "right heart border" is not a margin question), except cues marked `raw`.
 *
 * Intent cues are tried in table order; the first whose pattern matches and whose `needs`
 * holds wins. The order is from the most specific request to the most generic question:
 * out of scope → help → report → checklist → ratio → compare → two-anchor distance →
 * landmark relation → show → margin → density → size → location → overview → describe.
 * A question with several cues ("这个结节多大,边缘光滑吗") takes the earlier one.
 * Besides that spine: diagnostic questions ("是不是结节", "could it be TB") → describe before ratio;
 * "A1 bigger than A2" → compare; "看看右下肺" (a lung region, nothing pointed at) → overview;
 * border-clarity words with no anatomy → margin; a finding noun asked for presence → overview;
 * a bare "A1离肺门 / A1 to carina" → relation; follow-up openers ("那…", "and …", "the one …") → describe.
 * understand.ts also lets an attributive sign word ("磨玻璃结节多大") yield to a more specific question,
 * and falls back on named signs, then on "anatomy + predicate" (→ overview) vs bare anatomy (→ location).
 */
export type IntentNeed =
  | 'target'            // a relation target (hilum, pleura, chest wall, diaphragm, carina) in the question
  | 'noTarget'
  | 'twoAnchors'        // two explicit ids, "these two points", "both", or one id plus "this"
  | 'structure'         // a drawable structure or landmark
  | 'visibleStructure'  // a structure other than the lungs or a lung region (for weak "看看/look at")
  | 'noLungRegion'      // no lung, lobe, zone, band or side named
  | 'findingNoun'       // a finding-type noun (结节, mass, opacity …)
  | 'noAnatomy'         // no anatomy named at all
  | 'noPointing'        // no explicit id, deictic, recent mark or selecting descriptor
  | 'subject'           // something that picks an anchor: a reference, a descriptor or location anatomy
  | 'checklist'         // a checklist id
  | 'specificSign'      // a sign named by itself (毛刺, notch sign, 空洞 …), not only the generic margin/density words
  | 'anySign';          // any sign or term of the ontology named (incl. finding nouns such as 磨玻璃影)
export interface IntentCue { intent: Intent; pattern: RegExp; needs?: IntentNeed[]; raw?: boolean; confidence?: number; note?: string }

/** Outside the image's scope: scheduling, drugs, treatment decisions, small talk (→ unknown). */
export const OUT_OF_SCOPE = /(can|could|would|will) you (please )?(order|arrange|request|book|schedule)\b|(帮我|给我|帮忙)(约|开|预约|安排|申请)|天气|weather|预约|挂号|排期|约(一个|个)?(mri|ct|核磁|磁共振|检查)|\bbook\b|\bbooking\b|appointment|schedule|剂量|用量|dos(e|age|ing)\b|\d+\s*mg\b|吃(什么|多少)?药|用(什么)?药|开(什么)?药|药物|抗生素|antibiotic|prescri|medication|\bdrug|治疗方案|怎么治|化疗|放疗|chemo|radiotherapy|手术吗|要不要手术|需要手术|surgery|operate|活检|biopsy|多少钱|费用|价格|\bprice\b|\bcost\b|insurance|医保|笑话|\bjoke\b|股票|stock|新闻|\bnews\b|翻译|translate|几点了|what time|recipe|菜谱|football|足球|病人(叫|的名字|多大年纪|年龄)|patient'?s (name|age)|预后|prognosis|生存期|survival|能活多久|化验|检验结果|血常规|病历|既往史|lab (results?|values|tests?)|blood tests?|medical (record|history)|\brefer(ral|red)?\b|转诊|转给|会诊|oncolog/;

export const INTENT_CUES: IntentCue[] = [
  // Teaching: "什么是毛刺征 / what does lobulation mean" asks what a sign is (strong forms: any term of the ontology).
  { intent: 'explain', pattern: /什么是|是什么意思|什么意思|啥意思|指的是什么|指什么|是指什么|啥叫|什么叫|何为|何谓|定义|含义|意思是|解释一下|解释|科普|讲解|\bdefin(e|ition)\b|\bmeaning\b|what does .{1,40} mean|what do (you|we|they) mean by|\bexplain\b|teach me|what('s| is) meant by|what is (a |an |the )?(sign|term) /, needs: ['anySign'], raw: true },
  // Weak forms ("X是啥 / what is a notch sign"): only a sign named by itself, nothing pointed at before it.
  { intent: 'explain', pattern: /^\W*(什么是|啥是)|(征|症)(是|是个)?(什么|啥)|^[^a这那它]{0,12}(是什么|是啥)\s*[?]?\s*$|^\W*(what('s| is| are) (a |an |the )?)(?!(it|this|that|these|those|its|a\d+)\b)/, needs: ['specificSign'], raw: true },
  // Change since an earlier film (api.md 8.4), before compare: "compared with the previous film" is not A1 vs A2.
  { intent: 'compare_prior', pattern: /上次|上一次|上回|前片|老片|旧片|既往(的)?(片|胸片|影像|检查)|之前(的|那张|那次)?(片|胸片|检查|x线|拍的)|以前(的|那张)?(片|胸片|检查)|原来(的)?片|去年|前年|上个?月|上周|几个月前|半年前|一年前|较前|与前(相比|比较|对比|片)|和前(面)?(的)?(片|相比|比)|(以前|之前|原来|早先|本来)就有|新(出现|发生|长出)|新发(?!现)|(长|变)大了(吗|么|没|没有)?|有没有(长|变)大|(长|变)没(长|变)大|缩小了|变小了|有(无|没有)?(什么)?变化|有变化|变化(大|如何|吗|了)|\bprior\b|\bprevious (film|x-?ray|study|image|cxr|exam|radiograph|scan|chest|one(s)? (from|taken))|\b(old|older|earlier|last|prior) (film|study|x-?ray|image|cxr|exam|radiograph|scan|chest film)s?\b|\blast (time|year|month|visit)\b|\binterval\b|\bsince (the )?(last|prior|previous|earlier)|\b(has|have|did) (it|this|that|they|a\d+|the \w+) (grown|changed|increased|enlarged|shrunk|progressed|regressed)|\b(grown|growing|progress(ed|ion)?|stable|unchanged|new)\b.{0,30}\b(compared|since|prior|previous|before)\b|\bis (it|this|that|a\d+) new\b|\bwas (it|this|that|a\d+) (there|present|seen|visible)\b|\bchange(d|s)? (from|since)\b/, raw: true },
  // The same place in the other lung (mirrored across the lung frame's midline).
  { intent: 'compare_side', pattern: /对侧|另一侧|另侧|健侧|另一边|另一个肺|左右(对比|比较|比|对照)|两侧(对比|比较|对照)|双侧(对比|比较|对照)|对称(位置|部位|区域|的地方|处)|镜像|同一位置|同样(的)?位置|相同(的)?(位置|部位)|同一(部位|水平|高度)|对应(的)?(位置|部位|地方)|contralateral|opposite (side|lung)|other (side|lung)|same (area|level|spot|place|region|position|location|height|zone) (on|in) the (left|right|other|opposite)|same (level|height) on|\bmirror|\b(l|left) vs\.? (r|right)\b|\b(r|right) vs\.? (l|left)\b|side[- ]to[- ]side|symmetr/, raw: true },
  // Mimics and what else it could be.
  { intent: 'differential', pattern: /鉴别|还(可能|会|能)是什么|(其他|别的|其它)(的)?可能|可能是什么|会是什么|是什么(东西)?的可能|血管(断面|截面|横断面?|轴位|影|重叠|的断面|的截面|走行)|(是|像)血管|血管还是|还是血管|乳头|骨岛|肋软骨|软骨钙化|肋骨(的)?(重叠|钙化|骨岛|伪影|影)|皮肤(皱褶|褶皱|皱襞|折叠)|皱褶|伪影|假象|假阳性|重叠(影|伪)|(真的|真正的?)(结节|病灶)|\bddx\b|differential|\bmimic|nipple|end[- ]on|\bvessels?\b|bone island|enostos|costal cartilage|cartilage calcif|rib (artefact|artifact|overlap|island|calcif|lesion|shadow)|skin ?fold|artefact|artifact|false positive|\breal (nodule|lesion|finding)\b|what else (could|might|can) (it|this|that) be|could (it|this|that) be (anything|something) else|\bpseudo/, raw: true },
  // What to do next: follow-up, CT, further work-up (never a Fleischner/Lung-RADS category in the answer).
  { intent: 'recommendation', pattern: /建议|下一步|随访|复查|(怎么|如何)(处理|办|处置)|处理(意见|建议)|该(怎么办|干嘛|做什么|做啥)|(需要|要不要|需不需要|该不该|应该|应不应该|有没有必要|有必要|是否需要|是否要)(再)?(进一步)?(去)?(做|查|拍|加做)?(个|一个|一下|一次)?(胸部|增强|薄层|低剂量)?(ct|检查|评估|随访|复查|处理)|进一步(检查|评估|处理|诊治)|(需要|还要|还需要|要)(做)?(什么|啥|哪些)检查|\brecommend|\bsuggest|next steps?|follow[- ]?up|further (imaging|evaluation|work-?up|tests?|assessment|investigation)|work-?up|(need|needs|require|requires) (a |an )?(ct|scan|further)|(get|order|do) (a |an )?(ct|chest ct|scan)|ct (scan )?(is )?(warranted|needed|indicated|necessary|required)|should (we|i|they) (get|do|order|image|scan)|what (should|would|do) (we|i|you) (do|suggest|advise)|\bmanagement\b|how (should|do) (we|i) manage|\badvi[sc]e\b/ },
  { intent: 'help', pattern: /你能做什么|你会什么|能问什么|可以问(你)?什么|能帮我做什么|怎么用|如何使用|使用说明|帮助|有(哪些|什么)功能|你是谁|^(你好|您好|hi|hello|hey)\W*$|\bhelp\b|what can (i|you) (do|ask|answer|help( with)?)\b|what can i (say|type)|what can (this|the) (tool|system|app|assistant|copilot) do|how (do|can|should) i (use|ask)|what (do|can) you do|what questions|(kinds?|sorts?|types?) of questions|questions can you|can you answer|who are you|回答(哪些|什么)|能问(哪些|啥)|哪些问题|example questions|what are you|功能介绍|怎么问|怎么提问|(你|能)干(嘛|啥|什么)|能做(啥|些什么)/ },
  { intent: 'report', pattern: /报告|总结一下|总结|小结|出(个|一份)?结论|写(个|一份)?(诊断|印象)|诊断意见|\breport\b|summar(y|ise|ize)|write (it |this |the )?up|write-?up|dictate|structured (report|summary)|impression|印象/ },
  { intent: 'checklist', pattern: /早期肺癌|肺癌|癌|恶性|良性|肿瘤|气胸|积液|胸水|心(脏|影)(是否|是不是|有没有|有无|有)?(增大|扩大|肥大)|lung cancer|cancer|carcinoma|malignan|benign|tumou?r|pneumothora|\bptx\b|effusion|pleural fluid|(?<!air[- ])\bfluid\b(?![- ]level)|cardiomegaly|enlarged (heart|cardiac)|(heart|cardiac)[^.?!,;]{0,25}\benlarg|checklist|criteria|典型.{0,6}表现|符合几条|肋膈角.{0,6}(锐|钝|清|模糊|消失|变|正常|积液|好|充填|填塞|变浅|怎么样|如何)|(costophrenic|\bc-?p) angles?\b.{0,25}(sharp|blunt|clear|normal|obliterat|preserv|ok\b|fine|fluid|effusion|look)|blunt(ing|ed)?\b/, needs: ['checklist'], raw: true },
  // "是不是结节 / could it be TB / 是转移吗": what the finding is (a diagnostic characterisation of the focus).
  { intent: 'describe_finding', pattern: /炎症|肺炎|结核|转移|感染|肉芽肿|错构瘤|pneumonia|tubercul|\btb\b|metasta|infect|granuloma|hamartoma|inflamm|是不是(结节|肿块)|(结节|肿块)还是(结节|肿块)|\bnodule or (a )?mass\b|\bmass or (a )?nodule\b|^(is|could) (it|this|that) (be )?(a|an) (nodule|mass)\b|^(这|它|那)(个)?是(结节|肿块)(吗|么)/, raw: true },
  { intent: 'cardiothoracic_ratio', raw: true, pattern: /心胸比|心胸比例|\bctr\b|cardio-?thoracic|(heart|cardiac) (size|ratio|width)|size of the heart|how (big|large|wide) is the heart|is the heart (big|large|normal( in)? size)|心(脏|影)(有)?(多大|大不大|大小|是不是(很|有点)?大|偏大吗|宽度|正常大小)|心(脏|影)(有点|有些|很|偏|比较|挺)?大(吗|么|嘛|不|吧|呀)|\bc\s?\/?\s?t ratio\b|heart (looks? )?(big|large)\b/ },
  { intent: 'compare', pattern: /比较|对比|比一比|比一下|比比|哪(个|一个)?.{0,4}(更|比较|最)(大|小|可疑|严重|危险|恶性|重要|明显)|哪个(大|小)|哪一个更|哪个更|有何不同|有什么不同|有啥不同|区别|差别|差异|不一样|\bcompare|\bversus\b|\bvs\.?(?=\s|$)|which (one |nodule |lesion |finding |mass |opacity |of them )?(is|looks|seems|appears) (more|less|bigger|larger|smaller|worse)|which (one )?of (the|these|those|them|both|a\d)\b.{0,30}\b(more|less|bigger|larger|smaller|worse|better|biggest|largest|worst)|difference between|differ\b|side by side/ },
  // "Is A1 bigger than A2 / A1比A2大吗": a comparison when two anchors are named (not "bigger than 1 cm").
  { intent: 'compare', pattern: /\b(bigger|larger|smaller|worse|better|more \w+|less \w+) than\b|比.{0,8}(大|小|可疑|严重|明显|清楚)/, needs: ['twoAnchors'] },
  { intent: 'distance', pattern: /距离|多远|相距|间距|相隔|隔(了)?多|离.{0,8}(远|近)|distance|how far|\bapart\b|\bgap\b|between|cent(re|er)[- ]to[- ]cent(re|er)|边缘间隙|中心距/, needs: ['twoAnchors'] },
  { intent: 'relation_landmark', pattern: /距离|多远|远吗|近吗|离.{0,10}(远|近|多少)|相连|连接|连着|连在|相通|接触|碰到|挨着|贴着|紧贴|贴近|靠近|邻近|累及|侵犯|粘连|关系|连到|distance|how far|\bfar\b|connect|attach|touch|abut|reach|involv|invad|relation|relative to|close to|how close|\bnear\b|contact|adjacent|extend|bridge|linked|-based\b|based on|为基底|宽基底/, needs: ['target'] },
  { intent: 'distance', pattern: /距离|多远|相距|间距|相隔|隔(了)?多|离.{0,8}(远|近)|distance|how far|\bapart\b|\bgap\b|measure (the )?(line|length) between/, needs: ['noTarget'] },
  { intent: 'show_anatomy', pattern: /显示|画出|画一下|标出|标一下|勾画|勾出|勾勒|描出|标注|展示|圈出|\bshow(ing)?\b|display|outline|\bdraw\b|highlight|delineate|segment|\bmark\b/, needs: ['structure'] },
  { intent: 'show_anatomy', pattern: /(显示|画出|标出|标注|展示|勾画)(一下)?(所有|全部)的?(解剖)?(结构|解剖)|\b(show|display|draw|outline|highlight|mark)\b.{0,12}\b(everything|all (the )?(structures|anatomy|landmarks))\b/ },
  { intent: 'show_anatomy', pattern: /看看|看一下|瞧瞧|瞅瞅|\blook at\b|let me see/, needs: ['visibleStructure'] },
  // "请帮我看看右下肺 / take a look at the left lower zone": examining a lung region for findings.
  { intent: 'overview', pattern: /看看|看一下|瞧瞧|瞅瞅|查看|检查一下|\blook (at|over)\b|\bcheck\b|\breview\b|\bexamine\b|let me see/, needs: ['noPointing'] },
  { intent: 'margin', pattern: /胸膜.{0,3}(凹陷|牵拉|尾征|皱缩)|胸膜尾|尾征|pleural (indentation|tag|tail|retraction|puckering)|\btail sign\b|边缘|边界|边上|边儿|边沿|周边|轮廓|毛刺|毛毛|毛糙|刺刺|分叶|光整|光滑|规则|圆滑|脐凹|切迹|锐利|形态|形状|长什么样子|margin|border|\bedges?\b|contour|spicul|spiky|lobulat|smooth|regular|notch|well[- ]defined|ill[- ]defined|circumscribed|\bshape\b|\bfuzzy\b|\bsharp\b/ },
  // "清楚吗 / blurry?": border clarity, unless a lung region is named ("右下肺模糊吗" asks for findings there).
  { intent: 'margin', pattern: /清楚|清晰|模糊|不清|\bblurr?y\b|\bhazy\b/, needs: ['noAnatomy'] },
  { intent: 'density', pattern: /密度|钙化|空洞|空泡|内部|里面|里头|内容|支气管充气|充气征|均匀|实性|磨玻璃|毛玻璃|透亮|脂肪|液平|density|calcif|\bcalcs?\b|cavit|vacuol|bubble|internal|inside|within it|air bronchogram|bronchogram|homogene|heterogene|uniform|\bsolid\b|ground[- ]glass|lucen|\bfat\b|air[- ]fluid/ },
  { intent: 'size', pattern: /多大|大小|尺寸|面积|直径|长径|短径|多长|多宽|多粗|几(厘米|公分|毫米|mm|cm)|多少(毫米|厘米|公分|mm|cm)|量一下|量量|测量|测一下|\bsize\b|how (big|large|wide|long)|diameter|\barea\b|measure|dimension|how many (mm|cm|millimet|centimet)|\bmm\b\?|\bcm\b\?|长径|短径|长轴|短轴|最大径|最长径|(超过|大于|小于|不到|超出|达到|够|有没有|满)\s*[\d一二三四五六七八九十两半]+(\.\d+)?\s*(mm|cm|毫米|厘米|公分)|\b(long|short|major|minor)[- ]axis|\b(bigger|larger|smaller|greater|less|more|over|under|above|below) than \d|[<>≥≤]\s*\d+(\.\d+)?\s*(mm|cm)|\bexceed|\bdims?\b/ },
  { intent: 'location', pattern: /(在|位于|属于)\s{2,}(吗|么|嘛|不)|\s{2,}还是\s{2,}|\bleft or right\b|\bright or left\b|^(is|does|did) (it|this|that|(this|that|the) \w+|a\d+) (lie |sit |located |situated )?(in|within) (the )?\s{2,}\??\s*$|在哪|哪里|哪儿|哪边|哪侧|哪一侧|位置|位于|哪个叶|哪一叶|哪叶|哪个肺叶|哪个肺野|什么部位|哪个部位|定位|\bwhere\b|location|located|(central|peripheral|centrally|peripherally) or (central|peripheral|centrally|peripherally)|(中央|中心|周围|周边)(型)?还是(中央|中心|周围|周边)|(which|what) (lobe|side|zone|lung|part)|position|what part/ },
  { intent: 'overview', pattern: /异常|病变|问题|毛病|有无|有没有|是否有|正常吗|正常不|是否正常|发现|看到(了)?什么|阅片|读片|看一下片子|看看片子|片子怎么样|什么情况|结节吗|肿块吗|热力图|几个(结节|病灶)|多少个(结节|病灶)|担心|要紧|严重吗|危险吗|有多危险|abnormal|\bnormal\b|worr(y|ied)|concern|\bclear\b|any (finding|lesion|nodule|mass|abnormalit|problem|opacit|issue|consolidation|infiltrat|shadow|spots?\b|changes?\b)|findings|anything (wrong|suspicious|abnormal|else|there)|what do you see|what('s| is) wrong|read (this|the) (film|image|x-?ray|study)|how does (it|the film|the image|the chest) look|heat ?map|how many (nodules|lesions|findings)|(are|is) there (any|a|something|anything)\b|有(什么|啥)?东西|anything (in|on|at)\b|something (in|on|at)\b|list (the|all)|肺纹理|(lung|vascular|bronchovascular) markings|what else|anything else|\bother (findings?|nodules?|lesions?|abnormalit\w*|masses|opacit\w*)|还有(别的|其他|其它|什么)|^\s*还有(吗|么|没有)/ },
  // "右肺有阴影吗 / any consolidation on the left?": a finding noun asked for presence, nothing pointed at.
  { intent: 'overview', pattern: /有.{0,10}(吗|么|嘛|不)|有没有|有无|是否有|\bany\b|\b(is|are) there\b/, needs: ['findingNoun', 'noPointing'] },
  // "A1离肺门 / A1 to carina": a bare relation to a named surface.
  { intent: 'relation_landmark', pattern: /离|距|到|\bto\b|\bfrom\b|->|→/, needs: ['target', 'subject'] },
  { intent: 'describe_finding', pattern: /描述|介绍|讲讲|讲一下|说说|说一下|详细|特征|特点|什么样|怎么样|是什么|是啥|什么东西|看法|怎么看|分析一下|呢\s*[?]?$|^\s*(and|also|then|now|next)\b|^\s*(那|还有|再)|\bthe one\b|describe|tell me (more )?about|what (is|about|does) |how about|what's (this|that|it|a\d)|characteri[sz]|details?|more about|explain|what do you think|thoughts on|analy[sz]e/, needs: ['subject'] },
];

/** Checklist ids by cue (api.md 10.4). Order matters: the first that matches wins. */
export const CHECKLIST_CUES: { id: ChecklistId; pattern: RegExp }[] = [
  { id: 'benign_nodule', pattern: /良性|benign/ },
  { id: 'early_lung_cancer', pattern: /早期肺癌|肺癌|癌|恶性|肿瘤|lung cancer|cancer|malignan|carcinoma|tumou?r/ },
  { id: 'pneumothorax', pattern: /气胸|pneumothora|\bptx\b/ },
  { id: 'pleural_effusion', pattern: /胸腔积液|胸水|积液|effusion|pleural fluid|(?<!air[- ])\bfluid\b(?![- ]level)|肋膈角.{0,6}(锐|钝|清|模糊|消失|变|正常|积液|好|充填|填塞|变浅|怎么样|如何)|(costophrenic|\bc-?p) angles?\b.{0,25}(sharp|blunt|clear|normal|obliterat|preserv|ok\b|fine|fluid|effusion|look)|blunt(ing|ed)?\b/ },
  { id: 'cardiomegaly', pattern: /心(脏|影)(是否|是不是|有没有|有无|有)?(增大|扩大|肥大)|cardiomegaly|enlarged (heart|cardiac)|(heart|cardiac)[^.?!,;]{0,25}\benlarg/ },
];

/** Descriptor cues (api.md 10.3): shape, border, finding type, size rank. */
export interface DescriptorCue { type: 'shape' | 'border' | 'findingType' | 'sizeRank'; value: string; pattern: RegExp }
export const DESCRIPTOR_CUES: DescriptorCue[] = [
  { type: 'shape', value: 'irregular', pattern: /不规则形|形态不规则|不规则的?|irregular(ly shaped)?/ },
  { type: 'shape', value: 'oval', pattern: /椭圆形?|卵圆形?|\boval\b|ovoid|elliptical/ },
  { type: 'shape', value: 'round', pattern: /类圆形|圆形|圆的|圆圆的|球形|\bround(ed)?\b|circular|spherical/ },
  { type: 'shape', value: 'streaky', pattern: /条索状?|索条状?|streaky|streak/ },
  { type: 'shape', value: 'linear', pattern: /线状|线样|条状|\blinear\b|band-?like/ },
  { type: 'border', value: 'well_defined', pattern: /边界清(楚|晰)?|边缘清(楚|晰)?|well[- ]defined|sharply defined|well[- ]circumscribed/ },
  { type: 'border', value: 'ill_defined', pattern: /边界(模糊|不清)|边缘(模糊|不清)|ill[- ]defined|poorly defined|blurr?(ed|y)|fuzzy|hazy/ },
  { type: 'findingType', value: 'mass', pattern: /肿块|团块|\bmass(es)?\b/ },
  { type: 'findingType', value: 'nodule', pattern: /结节|nodul(e|es)\b/ },
  { type: 'findingType', value: 'opacity', pattern: /片状影|斑片影|实变|磨玻璃影|阴影|opacit(y|ies)|consolidation|ground[- ]glass opacity/ },
  { type: 'sizeRank', value: 'largest', pattern: /最大的|较大的|大的那|那个大的|大一点的|大一些的|更大的那|个头大的|\b(bigger|biggest|larger|largest|big)(?= (one|nodule|lesion|opacity|mass|spot)\b)|\bthe (bigger|biggest|larger|largest)\b/ },
  { type: 'sizeRank', value: 'smallest', pattern: /最小的|较小的|小的那|那个小的|小一点的|小一些的|更小的那|\b(smaller|smallest|little|small)(?= (one|nodule|lesion|opacity|mass|spot)\b)|\bthe (smaller|smallest)\b/ },
];
/** Shape and border words are descriptors only when they modify a noun (attributive), not when they are asked about. */
export const ATTRIBUTIVE_AFTER_ZH = /^\s*(的|之|影|样|状|结节|病灶|病变|阴影|肿块|团块|灶|那|这|阴|实变|磨玻璃)/;
export const ATTRIBUTIVE_AFTER_EN = /^[\s-]*(one|ones|nodule|nodules|lesion|lesions|opacity|opacities|mass|masses|spot|area|shadow|density|thing|region|focus|finding|consolidation)\b/;

export const ORDINAL_CUE = /第\s*([一二三四五六七八九十\d]+)\s*(个|处|枚|项|号|条)?|\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\b(?! (?:of all|time|opinion|look))|(?:\b(?:number|no\.?)|#|\b(?:nodule|lesion|finding|mass)\s*#?|(?:结节|病灶|病变)\s*#?)\s*(\d|one|two|three|four|five)\b(?!\s*(?:mm|cm|毫米|厘米|公分|个|处|枚))|(?<![a-z\d])([一二三四五六七八九十\d])\s*号(?!线)/;
export const ORDINAL_WORDS: Record<string, number> = {
  一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10,
  one: 1, two: 2, three: 3, four: 4, five: 5,
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4, '5th': 5,
};

/** Reference cues (api.md 10.3). */
const USER_MARK = '(点|标记|区域|位置|圈|框|地方|处)';
export const RECENT_CUE = new RegExp(`(这|那|(刚才|刚刚|刚|我)(画|标)的)\\s*(两|俩|2|三|3)\\s*个?\\s*${USER_MARK}|(两|2)\\s*(个)?\\s*点之间|我(刚)?画的(两个)?${USER_MARK}|\\b(these|those|the|my) (two|2|three|3) (points|marks|regions|spots|dots|areas|annotations)\\b|\\bboth (points|marks|dots|spots)\\b|\\bthe points i (drew|marked|placed)\\b`);
export const RECENT_COUNT: Record<string, number> = { 两: 2, 俩: 2, '2': 2, two: 2, 三: 3, '3': 3, three: 3 };
export const ALL_CUE = /所有|全部|每个|每一个|各个|它们|他们|两个(结节|病灶|病变|肿块|发现)|这两(个|处)(结节|病灶|病变|肿块)|两处(病灶|病变)|两者|\bboth\b|\ball (the |of the |of )?(nodules|lesions|findings|of them|masses|opacities)\b|\bthem\b|\bthey\b|\btheir\b|\bthose two\b|这俩|它俩|它们俩|\beach (one|nodule|lesion|finding)\b|\bthe two (nodules|lesions|findings)\b/;
export const DEICTIC_CUE = /(这|那)(个|处|枚|块|团|颗|里|儿|些|玩意儿?|东西)\s*(病灶|结节|病变|肿块|阴影|影|区域|点|地方|标记)?|(该|此|上述|前述)\s*(病灶|结节|病变|肿块|区域|处|点|标记)?|刚才(那个|的|说的)?(病灶|结节|那个)?|它|这(?=是|一)|\b(this|that) (lesion|nodule|mass|opacity|finding|one|spot|area|region|point|thing|shadow|mark)\b|\b(this|these|it|its|it's)\b|\bthat\b(?! (is|are|was|were|has|have|shows?|looks?|would|could|should|can|may|might|match(es)?|appears?)\b)|\bthe (lesion|nodule|mass|finding|same one|same)\b|上一个|同一个|之前(那|的)个?|前面(那|的)个|\bthe (previous|last|earlier) (one|nodule|lesion|finding|mark)\b|\bhere\b/;
export const EXPLICIT_ID = /(?<![a-z0-9])a-?(\d{1,3})(?![0-9])(?![a-z])/g;

/** Sign-id groups asked by margin/density words (api.md 10.3), in the order the handlers list them. */
export const MARGIN_IDS = ['margin_smooth', 'margin_lobulated', 'margin_spiculated', 'margin_ill_defined', 'notch_sign'];
export const DENSITY_IDS = ['homogeneous_density', 'calcification', 'cavitation', 'vacuole_sign', 'air_bronchogram'];
export const SIGN_GROUPS: { pattern: RegExp; ids: string[]; noAnatomy?: boolean }[] = [
  { pattern: /边缘|边界|边上|边儿|边沿|轮廓|规则|光整|光滑|圆滑|锐利|margin|border|\bedges?\b|regular|smooth|contour|circumscribed/, ids: MARGIN_IDS },
  { pattern: /毛刺|刺刺|spicul|spiky/, ids: ['margin_spiculated'] },
  { pattern: /毛毛|毛糙|fuzzy/, ids: ['margin_ill_defined', 'margin_spiculated'] },
  { pattern: /分叶|lobul/, ids: ['margin_lobulated', 'notch_sign'] },
  { pattern: /脐凹|切迹|notch/, ids: ['notch_sign'] },
  { pattern: /钙化|calcif|\bcalcs?\b/, ids: ['calcification'] },
  { pattern: /ill[- ]?defined|poorly defined/, ids: ['margin_ill_defined'] },
  { pattern: /well[- ]?defined|sharply defined/, ids: ['margin_smooth', 'margin_ill_defined'] },
  { pattern: /模糊|不清/, ids: ['margin_ill_defined'], noAnatomy: true },
  { pattern: /清楚|清晰/, ids: ['margin_smooth', 'margin_ill_defined'], noAnatomy: true },
  { pattern: /空洞|cavit/, ids: ['cavitation'] },
  { pattern: /空泡|vacuol|bubble/, ids: ['vacuole_sign'] },
  { pattern: /支气管充气|充气支气管|air bronchogram|bronchogram/, ids: ['air_bronchogram'] },
  { pattern: /密度|内部|里面|里头|density|internal|inside|homogene|heterogene|uniform/, ids: DENSITY_IDS },
  { pattern: /胸膜凹陷|胸膜牵拉|胸膜尾|牵拉|pleural (indentation|tag|tail|retraction)|\btail\b/, ids: ['pleural_indentation'] },
];

/**
 * Which intent a named sign implies when no cue word did: the ontology's sign category
 * decides (margin_shape → margin, density_content → density), with these id lists as the
 * fallback when the category is not available. Finding-type and shape nouns never route.
 */
export const NOUN_SIGNS = new Set(['nodule', 'mass', 'opacity', 'micronodule', 'shape_round', 'shape_oval', 'shape_irregular', 'linear_opacity', 'consolidation', 'ground_glass_opacity']);
export const SIGN_INTENT_BY_CATEGORY: Record<string, Intent> = { margin_shape: 'margin', density_content: 'density' };
export const SIGN_INTENT_BY_ID: Record<string, Intent> = {
  air_bronchogram: 'density', pleural_indentation: 'margin',
};

/** "the other one / 另一个": the anchor other than the current focus (resolve.ts). */
export const OTHER_CUE = /另(一|外)\s*(一)?\s*(个|处|枚|颗)(?!肺)|另一(个|处)?(?![侧边肺])|其他(那|的)?(个|一个)|别的那个|\bthe other\b(?! (side|lung))|\bthe remaining (one|nodule|lesion|finding)\b/;
/** A pleural sign named with the pleura inside it ("胸膜有牵拉", "pleural tail"): the pleura is not a relation target. */
export const PLEURAL_SIGN = /胸膜.{0,3}(凹陷|牵拉|尾征|皱缩)|pleural (indentation|tag|tail|retraction)/;
/** Density and margin words used attributively ("磨玻璃结节", "the calcified nodule"): they name the finding. */
export const ATTRIBUTIVE_SIGN = /(磨玻璃|毛玻璃|部分实性|实性|混杂密度|钙化|空洞性?|分叶状?|毛刺状?)(的)?(?=\s*(结节|病灶|病变|影|灶|肿块|团块))|\b(ground[- ]glass|part[- ]solid|subsolid|solid|calcified|cavitary|cavitating|spiculated|lobulated)(?= (nodule|lesion|opacity|mass|one)s?\b)/;
