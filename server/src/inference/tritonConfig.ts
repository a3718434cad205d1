/** Reading a Triton model folder: config.pbtxt (minimal text-protobuf parser), labels, version, sha256. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export type PbValue = string | number | boolean | PbMessage;
export interface PbMessage {
  [key: string]: PbValue[];
}

/**
 * Parses protobuf text format into a tree where every field maps to the list of its values
 * (repeated fields and `[a, b]` lists both become arrays). Enough for Triton's config.pbtxt.
 */
export function parsePbtxt(text: string): PbMessage {
  const tokens: string[] = [];
  const re = /\s+|#[^\n]*|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([{}[\]:,<>;])|([^\s{}[\]:,<>;#"']+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[1] !== undefined || m[2] !== undefined || m[3] !== undefined) tokens.push(m[0]);
  }
  let i = 0;
  const scalar = (tok: string): PbValue => {
    if (tok.startsWith('"') || tok.startsWith("'"))
      return JSON.parse('"' + tok.slice(1, -1).replace(/"/g, '\\"').replace(/\\'/g, "'") + '"');
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(tok)) return Number(tok);
    return tok; // enum identifier
  };
  const value = (): PbValue[] => {
    const t = tokens[i];
    if (t === '{' || t === '<') {
      i++;
      return [message(t === '{' ? '}' : '>')];
    }
    if (t === '[') {
      i++;
      const out: PbValue[] = [];
      while (i < tokens.length && tokens[i] !== ']') {
        if (tokens[i] === ',') {
          i++;
          continue;
        }
        out.push(...value());
      }
      i++;
      return out;
    }
    i++;
    // adjacent string literals concatenate
    let v = scalar(t!);
    while (typeof v === 'string' && t!.startsWith('"') && tokens[i]?.startsWith('"'))
      v += scalar(tokens[i++]!) as string;
    return [v];
  };
  const message = (close: string | null): PbMessage => {
    const msg: PbMessage = {};
    while (i < tokens.length && tokens[i] !== close) {
      const key = tokens[i++]!;
      if (key === ',' || key === ';') continue;
      if (tokens[i] === ':') i++;
      (msg[key] ??= []).push(...value());
      if (tokens[i] === ',' || tokens[i] === ';') i++;
    }
    i++;
    return msg;
  };
  return message(null);
}

export interface TensorSpec {
  name: string;
  dataType: string;
  dims: number[];
}
export interface TritonConfig {
  name: string;
  platform: string | null;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  labelFilename: string | null;
  parameters: Record<string, string>;
}

const str = (m: PbMessage, k: string): string | null => {
  const v = m[k]?.[0];
  return v === undefined || typeof v === 'object' ? null : String(v);
};

function tensors(list: PbValue[] | undefined): { specs: TensorSpec[]; label: string | null } {
  let label: string | null = null;
  const specs = (list ?? [])
    .filter((v): v is PbMessage => typeof v === 'object')
    .map((t) => {
      label ??= str(t, 'label_filename');
      return {
        name: str(t, 'name') ?? '',
        dataType: str(t, 'data_type') ?? 'TYPE_FP32',
        dims: (t.dims ?? []).map(Number),
      };
    });
  return { specs, label };
}

/** The fields of config.pbtxt the server uses. */
export function readTritonConfig(text: string): TritonConfig {
  const pb = parsePbtxt(text);
  const inputs = tensors(pb.input);
  const outputs = tensors(pb.output);
  const parameters: Record<string, string> = {};
  for (const p of pb.parameters ?? []) {
    if (typeof p !== 'object') continue;
    const key = str(p, 'key');
    const val = p.value?.[0];
    const sv = typeof val === 'object' ? str(val, 'string_value') : val === undefined ? null : String(val);
    if (key && sv !== null) parameters[key] = sv;
  }
  return {
    name: str(pb, 'name') ?? '',
    platform: str(pb, 'platform') ?? str(pb, 'backend'),
    inputs: inputs.specs,
    outputs: outputs.specs,
    labelFilename: outputs.label ?? inputs.label,
    parameters,
  };
}

export interface ModelFolder {
  name: string;
  dir: string;
  version: string;
  onnxPath: string;
  sha256: string;
  config: TritonConfig;
  labels: string[];
}

/** Newest numeric version folder holding model.onnx, or null. */
export function newestVersion(dir: string): string | null {
  const versions = readdirSync(dir)
    .filter((v) => /^\d+$/.test(v) && existsSync(path.join(dir, v, 'model.onnx')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ?? null;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Reads a Triton model folder; throws an Error with a readable reason when it is incomplete. */
export function readModelFolder(dir: string): ModelFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`model folder ${path.basename(dir)} not found`);
  const cfgPath = path.join(dir, 'config.pbtxt');
  if (!existsSync(cfgPath)) throw new Error(`${path.basename(dir)}: config.pbtxt missing`);
  const config = readTritonConfig(readFileSync(cfgPath, 'utf8'));
  const version = newestVersion(dir);
  if (version === null) throw new Error(`${path.basename(dir)}: no numeric version folder with model.onnx`);
  const onnxPath = path.join(dir, version, 'model.onnx');
  const labelPath = path.join(dir, config.labelFilename ?? 'labels.txt');
  const labels = existsSync(labelPath)
    ? readFileSync(labelPath, 'utf8')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean)
    : [];
  return {
    name: config.name || path.basename(dir),
    dir,
    version,
    onnxPath,
    sha256: sha256File(onnxPath),
    config,
    labels,
  };
}
