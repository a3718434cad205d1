/** DICOM SR export (api.md 14.3). */
import type { Report } from '../../contract';
import { ApiError } from '../../errors';
import type { ReportInput } from '../input';
import { srDataset, writeSr, type SourceImage } from './document';

export { srGroups, type GroupSpec, type ToolType } from './shapes';
export { srDataset, type SourceImage } from './document';

/** The source image of the analysis, or source_not_dicom for PNG/JPEG (and DICOM missing its UIDs). */
export function sourceImage(input: ReportInput): SourceImage {
  const img = input.analysis.image;
  if (
    img.sourceFormat !== 'dicom' ||
    !img.studyInstanceUID ||
    !img.seriesInstanceUID ||
    !img.sopInstanceUID ||
    !img.sopClassUID
  ) {
    throw new ApiError('source_not_dicom', 'A DICOM SR needs an analysis made from a DICOM image.', {
      resource: 'analysis',
      id: input.analysis.id,
    });
  }
  return {
    studyInstanceUID: img.studyInstanceUID,
    seriesInstanceUID: img.seriesInstanceUID,
    sopInstanceUID: img.sopInstanceUID,
    sopClassUID: img.sopClassUID,
    frame: img.numberOfFrames > 1 ? img.frame + 1 : null,
  };
}

/** The Comprehensive SR of a session's report, as Part 10 bytes. */
export function buildStructuredReport(input: ReportInput, report: Report): Buffer {
  return writeSr(srDataset(input, report, sourceImage(input)));
}
