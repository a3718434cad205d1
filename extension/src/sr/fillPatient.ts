/**
 * Fills the zero-length Patient / General Study attributes of the server's SR (api.md 1.7, 14.3)
 * with values the viewer already shows, rewriting only those top-level elements of an Explicit VR
 * Little Endian Part 10 file. Pure (no DOM, no Cornerstone) so it is unit-testable; a full DICOM
 * library in the bundle would cost far more than this walk.
 */
export type PatientValues = Partial<Record<keyof typeof TAGS, string>>;

const TAGS = {
  StudyDate: 0x00080020,
  StudyTime: 0x00080030,
  AccessionNumber: 0x00080050,
  ReferringPhysicianName: 0x00080090,
  PatientName: 0x00100010,
  PatientID: 0x00100020,
  PatientBirthDate: 0x00100030,
  PatientSex: 0x00100040,
  StudyID: 0x00200010,
} as const;
const BY_TAG = new Map<number, keyof typeof TAGS>(Object.entries(TAGS).map(([k, v]) => [v, k as keyof typeof TAGS]));
/** VRs with a 4-byte length (after two reserved bytes) in explicit VR encoding. */
const LONG_VR = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED = 0xffffffff;

interface El {
  tag: number;
  vr: string;
  start: number;
  valueStart: number;
  length: number;
  end: number;
}

function readElement(v: DataView, pos: number): El {
  const tag = ((v.getUint16(pos, true) << 16) | v.getUint16(pos + 2, true)) >>> 0;
  const vr = String.fromCharCode(v.getUint8(pos + 4), v.getUint8(pos + 5));
  const long = LONG_VR.has(vr);
  const length = long ? v.getUint32(pos + 8, true) : v.getUint16(pos + 6, true);
  const valueStart = pos + (long ? 12 : 8);
  const end = length === UNDEFINED ? skipUndefined(v, valueStart, vr) : valueStart + length;
  return { tag, vr, start: pos, valueStart, length, end };
}

/** End of an undefined-length sequence (or encapsulated value), after its delimiter. */
function skipUndefined(v: DataView, pos: number, vr: string): number {
  while (pos + 8 <= v.byteLength) {
    const group = v.getUint16(pos, true);
    const elem = v.getUint16(pos + 2, true);
    const len = v.getUint32(pos + 4, true);
    if (group === 0xfffe && elem === 0xe0dd) return pos + 8; // sequence delimiter
    if (group !== 0xfffe || elem !== 0xe000) throw new Error('malformed sequence');
    pos += 8;
    if (len !== UNDEFINED) {
      pos += len;
      continue;
    }
    if (vr !== 'SQ') throw new Error('undefined-length fragment');
    // Undefined-length item: elements until the item delimiter.
    while (!(v.getUint16(pos, true) === 0xfffe && v.getUint16(pos + 2, true) === 0xe00d)) pos = readElement(v, pos).end;
    pos += 8;
  }
  throw new Error('sequence runs past the end of the file');
}

/** Returns a new file with the given values written into those of the attributes that are empty. */
export function fillPatientModule(file: Uint8Array, values: PatientValues): Uint8Array<ArrayBuffer> {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.byteLength < 132 || String.fromCharCode(...file.subarray(128, 132)) !== 'DICM')
    throw new Error('not a Part 10 file');
  const parts: Uint8Array[] = [];
  let copied = 0;
  let pos = 132;
  while (pos + 8 <= file.byteLength) {
    const el = readElement(v, pos);
    const name = BY_TAG.get(el.tag);
    const value = name ? values[name] : undefined;
    if (name && value && el.length === 0 && !LONG_VR.has(el.vr)) {
      let bytes = new TextEncoder().encode(value);
      if (bytes.length % 2) bytes = Uint8Array.from([...bytes, 0x20]); // even length, space-padded
      const header = file.slice(el.start, el.valueStart);
      new DataView(header.buffer).setUint16(6, bytes.length, true);
      parts.push(file.subarray(copied, el.start), header, bytes);
      copied = el.end;
    }
    pos = el.end;
  }
  parts.push(file.subarray(copied));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The value of a top-level string attribute (e.g. 0x0020000E SeriesInstanceUID), trimmed; null when absent. */
export function readTopLevelString(file: Uint8Array, tag: number): string | null {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.byteLength < 132 || String.fromCharCode(...file.subarray(128, 132)) !== 'DICM') return null;
  let pos = 132;
  while (pos + 8 <= file.byteLength) {
    const el = readElement(v, pos);
    if (el.tag === tag) {
      return (
        new TextDecoder()
          .decode(file.subarray(el.valueStart, el.valueStart + el.length))
          .replace(/[\0 ]+$/, '')
          .trim() || null
      );
    }
    if (el.tag > tag) return null;
    pos = el.end;
  }
  return null;
}
