// Runs models/cxr-anatomy/1/model.onnx with onnxruntime-node (CPU EP) on a raw float32 input
// and writes the raw float32 output, so the Python export can compare it with torch.
// Usage: node models/train/anatomy_onnx_check.cjs MODEL IN.f32 OUT.f32 SIZE
const fs = require("fs");
const ort = require("onnxruntime-node");

async function main() {
  const [model, inPath, outPath, size] = process.argv.slice(2);
  const s = Number(size);
  const session = await ort.InferenceSession.create(model, { executionProviders: ["cpu"], intraOpNumThreads: 2 });
  const buf = fs.readFileSync(inPath);
  const data = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const feeds = { image: new ort.Tensor("float32", data, [1, 1, s, s]) };
  await session.run(feeds); // warm-up
  const times = [];
  let out;
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    out = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  fs.writeFileSync(outPath, Buffer.from(out.probs.data.buffer));
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ dims: out.probs.dims, median_ms: times[2], inputs: session.inputNames, outputs: session.outputNames }));
}

main().catch((e) => { console.error(e); process.exit(1); });
