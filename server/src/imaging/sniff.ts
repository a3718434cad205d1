export type ImageMediaType = 'application/dicom' | 'image/png' | 'image/jpeg';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Media type from magic bytes: DICM at offset 128, the PNG signature, or JPEG's FF D8 FF. */
export function sniffMediaType(buf: Uint8Array): ImageMediaType | null {
  if (buf.length >= 132 && buf[128] === 0x44 && buf[129] === 0x49 && buf[130] === 0x43 && buf[131] === 0x4d) {
    return 'application/dicom';
  }
  if (buf.length >= 8 && PNG_SIGNATURE.equals(Buffer.from(buf.buffer, buf.byteOffset, 8))) return 'image/png';
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  return null;
}
