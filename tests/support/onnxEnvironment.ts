/**
 * Jest environment for suites that run the ONNX models. onnxruntime's native binding creates typed
 * arrays in Node's main realm, while jest evaluates the test's modules — onnxruntime-common's
 * `instanceof Float32Array` checks included — in a separate vm context with its own constructors,
 * so every output tensor fails with "A float32 tensor's data must be type of Float32Array".
 * Sharing the main realm's typed-array constructors fixes that. Use with a
 * `@jest-environment ./tests/support/onnxEnvironment.ts` docblock.
 */
import { TestEnvironment } from 'jest-environment-node';

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

export default class OnnxEnvironment extends TestEnvironment {
  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    const g = this.global as unknown as Record<string, unknown>;
    for (const name of SHARED) g[name] = (globalThis as unknown as Record<string, unknown>)[name];
  }
}
