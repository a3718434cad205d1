/** Transfer syntaxes of api.md 4.2 and how each is decoded. */

export type SyntaxKind = 'native' | 'deflated' | 'jpeg' | 'jpegls' | 'j2k' | 'rle';

export interface SyntaxInfo {
  uid: string;
  kind: SyntaxKind;
  implicitVR: boolean;
  lossy: boolean;
}

const table: SyntaxInfo[] = [
  { uid: '1.2.840.10008.1.2', kind: 'native', implicitVR: true, lossy: false },
  { uid: '1.2.840.10008.1.2.1', kind: 'native', implicitVR: false, lossy: false },
  { uid: '1.2.840.10008.1.2.1.99', kind: 'deflated', implicitVR: false, lossy: false },
  { uid: '1.2.840.10008.1.2.4.50', kind: 'jpeg', implicitVR: false, lossy: true },
  { uid: '1.2.840.10008.1.2.4.51', kind: 'jpeg', implicitVR: false, lossy: true },
  { uid: '1.2.840.10008.1.2.4.57', kind: 'jpeg', implicitVR: false, lossy: false },
  { uid: '1.2.840.10008.1.2.4.70', kind: 'jpeg', implicitVR: false, lossy: false },
  { uid: '1.2.840.10008.1.2.4.80', kind: 'jpegls', implicitVR: false, lossy: false },
  { uid: '1.2.840.10008.1.2.4.81', kind: 'jpegls', implicitVR: false, lossy: true },
  { uid: '1.2.840.10008.1.2.4.90', kind: 'j2k', implicitVR: false, lossy: false },
  { uid: '1.2.840.10008.1.2.4.91', kind: 'j2k', implicitVR: false, lossy: true },
  { uid: '1.2.840.10008.1.2.5', kind: 'rle', implicitVR: false, lossy: false },
];

const byUid = new Map(table.map((t) => [t.uid, t]));

/** The UIDs this server decodes, in the order of api.md 4.2. */
export const SUPPORTED_TRANSFER_SYNTAXES: readonly string[] = table.map((t) => t.uid);

export function syntaxInfo(uid: string): SyntaxInfo | undefined {
  return byUid.get(uid);
}

export const isEncapsulated = (k: SyntaxKind): boolean => k !== 'native' && k !== 'deflated';
