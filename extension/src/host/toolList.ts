import { addTool } from '@cornerstonejs/tools';
import { CXR_TOOLS } from '../tools';
import { ALL_CXR_TOOLS } from '../tools/names';

export const ALL_CXR_TOOL_NAMES_FOR_MAPPING = ALL_CXR_TOOLS;

/** Registers our tool classes with the host's Cornerstone, once, globally. */
export function registerTools(): void {
  for (const Tool of CXR_TOOLS) addTool(Tool);
}
