/** The four-turn conversation of the product brief, in both languages (npm run eval, the report's language lint). */
export const BRIEF_CONVERSATION = {
  zh: [
    '肺部是否有异常?',
    '右肺中叶那个圆形影,边缘是否规则?',
    '这个病灶距离右肺门有多远?是否与肺门结构相连?',
    '如果这是早期肺癌,典型X线表现应该有哪些?当前影像符合几条?',
  ],
  en: [
    'Is anything abnormal in the lungs?',
    'The round opacity in the right middle lobe — is its margin regular?',
    'How far is this lesion from the right hilum? Is it connected to the hilar structures?',
    'If this were early lung cancer, which radiographic features would be typical, ' +
      'and how many does this image show?',
  ],
} as const;

/** The intent each turn of the brief's conversation is understood as. */
export const BRIEF_INTENTS = ['overview', 'margin', 'relation_landmark', 'checklist'] as const;
