/**
 * A hand-encoded ONNX model for runtime tests only (written to a temp dir, never committed):
 * image [1,1,S,S] → Sigmoid → Concat ×7 on axis 1 → probs [1,7,S,S].
 */
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
};
const key = (field: number, wire: number) => varint(field * 8 + wire);
const vInt = (field: number, v: number) => [...key(field, 0), ...varint(v)];
const vBytes = (field: number, b: number[]) => [...key(field, 2), ...varint(b.length), ...b];
const vStr = (field: number, s: string) => vBytes(field, [...Buffer.from(s, 'utf8')]);

const tensorType = (dims: number[]) =>
  vBytes(
    2,
    vBytes(1, [
      ...vInt(1, 1),
      ...vBytes(
        2,
        dims.flatMap((d) => vBytes(1, vInt(1, d))),
      ),
    ]),
  );
const valueInfo = (name: string, dims: number[]) => [...vStr(1, name), ...tensorType(dims)];

export function tinyAnatomyOnnx(size: number): Buffer {
  const sigmoid = [...vStr(1, 'image'), ...vStr(2, 's'), ...vStr(3, 'sig'), ...vStr(4, 'Sigmoid')];
  const concat = [
    ...Array.from({ length: 7 }, () => vStr(1, 's')).flat(),
    ...vStr(2, 'probs'),
    ...vStr(3, 'cat'),
    ...vStr(4, 'Concat'),
    ...vBytes(5, [...vStr(1, 'axis'), ...vInt(3, 1), ...vInt(20, 2)]),
  ];
  const graph = [
    ...vBytes(1, sigmoid),
    ...vBytes(1, concat),
    ...vStr(2, 'tiny'),
    ...vBytes(11, valueInfo('image', [1, 1, size, size])),
    ...vBytes(12, valueInfo('probs', [1, 7, size, size])),
  ];
  return Buffer.from([
    ...vInt(1, 7),
    ...vStr(2, 'test'),
    ...vBytes(7, graph),
    ...vBytes(8, [...vStr(1, ''), ...vInt(2, 13)]),
  ]);
}

export const tinyConfig = (size: number) => `# test model
name: "cxr-anatomy"
platform: "onnxruntime_onnx"
max_batch_size: 0
input [
  {
    name: "image"
    data_type: TYPE_FP32
    dims: [ 1, 1, ${size}, ${size} ]
  }
]
output [
  {
    name: "probs"
    data_type: TYPE_FP32
    dims: [ 1, 7, ${size}, ${size} ]
    label_filename: "labels.txt"
  }
]
parameters { key: "task" value: { string_value: "anatomy" } }
parameters [ { key: "normalisation", value { string_value: "per-image z-score" } } ]
`;
