/** Names of our display tools; shared by the extension (registration) and the mode (tool group). */
export const CXR_TOOL_NAMES = {
  region: 'CxrRegionHighlight',
  outline: 'CxrOutline',
  link: 'CxrLinkLine',
  points: 'CxrPointMarkers',
  label: 'CxrTextLabel',
  heatmap: 'CxrHeatmap',
} as const;
export type CxrToolName = (typeof CXR_TOOL_NAMES)[keyof typeof CXR_TOOL_NAMES];
export const ALL_CXR_TOOLS: string[] = Object.values(CXR_TOOL_NAMES);
