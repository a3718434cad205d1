import { HeatmapTool } from './HeatmapTool';
import { LinkLineTool } from './LinkLineTool';
import { OutlineTool } from './OutlineTool';
import { PointMarkersTool } from './PointMarkersTool';
import { RegionHighlightTool } from './RegionHighlightTool';
import { TextLabelTool } from './TextLabelTool';

/** Our tool classes, in drawing order (heatmap under everything else). */
export const CXR_TOOLS = [HeatmapTool, RegionHighlightTool, OutlineTool, LinkLineTool, PointMarkersTool, TextLabelTool];
