import { readFileSync } from 'node:fs';
import { dcmjsData } from '/work/main/server/src/imaging/dcmjs';
const { NativeCodecs, Context } = require('dcmjs-codecs');
(async () => {
  let t = Date.now();
  await NativeCodecs.initializeAsync();
  console.log('init', Date.now() - t);
  for (const [name, fn] of [['jpegLossless57','decodeJpeg'],['jpegLosslessSV1','decodeJpeg'],['jpegExtended51','decodeJpeg'],['jpegLsLossless','decodeJpegLs'],['jpegLsNear','decodeJpegLs'],['rle','decodeRle'],['j2kLossless','decodeJpeg2000'],['j2kLossy','decodeJpeg2000'],['jpegBaseline','decodeJpeg'],['badCodestream','decodeJpeg2000']]) {
    const b = readFileSync(`/tmp/fx/out/${name}.dcm`);
    const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
    const ds = dcmjsData.DicomMessage.read(new (dcmjsData.ReadBufferStream as any)(ab.slice(132 + 12 + b.readUInt32LE(140))), '1.2.840.10008.1.2.1', false);
    const frags = ds['7FE00010'].Value as ArrayBuffer[];
    const total = frags.reduce((a, f) => a + f.byteLength, 0);
    const enc = new Uint8Array(total); let o = 0; for (const f of frags) { enc.set(new Uint8Array(f), o); o += f.byteLength; }
    const eight = name === 'jpegBaseline';
    const ctx = new Context({ width: 512, height: 512, bitsAllocated: eight ? 8 : 16, bitsStored: eight ? 8 : 12, samplesPerPixel: 1, pixelRepresentation: 0, planarConfiguration: 0, photometricInterpretation: 'MONOCHROME2', encodedBuffer: enc });
    t = Date.now();
    try {
      const r = NativeCodecs[fn](ctx, {});
      const d = r.getDecodedBuffer();
      const u = new Uint16Array(d.buffer, d.byteOffset, d.length / 2);
      console.log(name, frags.length, d.length, 'ms', Date.now() - t, eight ? d.slice(0, 6) : u.slice(0, 6));
    } catch (e) { console.log(name, 'ERR', String(e).slice(0, 200)); }
  }
})();
