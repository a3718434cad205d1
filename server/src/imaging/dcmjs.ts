/**
 * Typed access to the parts of dcmjs (no bundled types) that this module uses.
 * Kept local so no ambient `declare module` can clash with another module's.
 */
export interface DcmElement {
  vr: string;
  Value?: unknown[];
}
export type DcmDataset = Record<string, DcmElement>;

export interface DcmjsData {
  DicomMessage: {
    /** dcmjs' reader behind the deprecated public `read` (which logs a deprecation line per call). */
    _read(stream: unknown, syntax: string, options: { ignoreErrors: boolean; untilTag: string | null }): DcmDataset;
  };
  ReadBufferStream: new (buffer: ArrayBuffer, littleEndian?: boolean | null, options?: { noCopy?: boolean }) => unknown;
  DicomDict: new (meta: DcmDataset) => { dict: DcmDataset; write(opts?: Record<string, unknown>): ArrayBuffer };
  DicomMetaDictionary: {
    dictionary: Record<string, { vr?: string } | undefined>;
    denaturalizeDataset(ds: Record<string, unknown>): DcmDataset;
    naturalizeDataset(ds: DcmDataset): Record<string, unknown>;
  };
}

interface Logger {
  setLevel?(l: string): void;
}
interface DcmjsModule {
  data: DcmjsData;
  log?: Logger & { getLogger?(name: string): Logger };
}

// dcmjs ships no types: loaded with require() and typed through DcmjsModule.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mod: DcmjsModule = require('dcmjs');
// dcmjs logs validation warnings to the console; keep it quiet (values could appear there).
try {
  mod.log?.setLevel?.('silent');
  mod.log?.getLogger?.('validation.dcmjs').setLevel?.('silent');
} catch {
  /* ignore */
}

export const dcmjsData: DcmjsData = mod.data;

export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const IMPLICIT_LE = '1.2.840.10008.1.2';

/**
 * Reads a data set (no preamble, no File Meta) with dcmjs. `ignoreErrors` lets dcmjs fall back to
 * the default character set for values it cannot decode (e.g. ISO 2022 code extensions) instead of
 * rejecting a valid file; the structure has already been checked by the pre-scan.
 */
export function readDataset(bytes: Uint8Array, syntax: string): DcmDataset {
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const stream = new dcmjsData.ReadBufferStream(ab);
  return dcmjsData.DicomMessage._read(stream, syntax, { ignoreErrors: true, untilTag: null });
}

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

/** The VR dcmjs' dictionary gives a tag (as dcmjs uses it for implicit VR), or null if unknown. */
export function dictionaryVr(group: number, element: number): string | null {
  const entry = dcmjsData.DicomMetaDictionary.dictionary[`(${hex4(group)},${hex4(element)})`];
  return entry && typeof entry.vr === 'string' ? entry.vr : null;
}
