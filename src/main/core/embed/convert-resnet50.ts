// Converts timm's ResNet-50 weights (safetensors, timm/torchvision tensor names) into the ONNX
// graph Komorebi runs: each BatchNorm is folded into the convolution before it, exactly as
// eval-mode PyTorch computes it, and the classifier (fc) is left out, so the output is the
// 2048-d globally pooled feature that timm gives with num_classes=0.
import { buildResnet50Graph, type FoldedConv, type ResnetConv, resnet50Convs } from './resnet50-graph';
import { SafetensorsFile } from './safetensors';

/** timm's ResNet uses nn.BatchNorm2d with its default eps. */
export const TIMM_BATCHNORM_EPS = 1e-5;

/** Bumped when the converter's output changes, so a model converted by an older one can be told apart. */
export const CONVERTER_VERSION = '1';

const BN_PARTS = ['weight', 'bias', 'running_mean', 'running_var'] as const;

/** The tensor names of a convolution's weight and of the BatchNorm that follows it. */
function tensorNames(conv: ResnetConv): { weight: string; bn: string } {
  if (conv.name.endsWith('.downsample')) {
    return { weight: `${conv.name}.0.weight`, bn: `${conv.name}.1` };
  }
  return { weight: `${conv.name}.weight`, bn: conv.name.replace(/conv(\d)$/, 'bn$1') };
}

/** Every tensor the converter reads, with the shape it must have. */
export function requiredTensors(): { name: string; shape: number[] }[] {
  return resnet50Convs().flatMap((c) => {
    const { weight, bn } = tensorNames(c);
    return [
      { name: weight, shape: [c.cout, c.cin, c.kernel, c.kernel] },
      ...BN_PARTS.map((part) => ({ name: `${bn}.${part}`, shape: [c.cout] })),
    ];
  });
}

/**
 * Throws a message naming each missing or misshaped tensor (the first few of them) when the file
 * is not timm's ResNet-50.
 */
export function checkResnet50Tensors(file: SafetensorsFile): void {
  const problems: string[] = [];
  for (const { name, shape } of requiredTensors()) {
    const info = file.info(name);
    if (!info) problems.push(`the tensor "${name}" is missing`);
    else if (info.shape.join(',') !== shape.join(',')) {
      problems.push(
        `the tensor "${name}" has shape [${info.shape.join(', ')}], expected [${shape.join(', ')}]`,
      );
    } else if (!['F32', 'F16', 'BF16', 'F64'].includes(info.dtype)) {
      problems.push(`the tensor "${name}" holds ${info.dtype} values, expected floating point`);
    }
  }
  if (problems.length === 0) return;
  const shown = problems.slice(0, 3).join('; ');
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  throw new Error(
    `${file.where} is not timm's ResNet-50 in timm's tensor names: ${shown}${more}. ` +
      'Use the model.safetensors of timm/resnet50.a1_in1k.',
  );
}

/**
 * y = gamma * (conv(x) - mean) / sqrt(var + eps) + beta, folded: W' = W * s, b' = beta - mean * s
 * with s = gamma / sqrt(var + eps), computed in double precision, stored as float32.
 */
function fold(file: SafetensorsFile, conv: ResnetConv): FoldedConv {
  const names = tensorNames(conv);
  const read = (name: string) => {
    const values = file.float32(name);
    for (const v of values) {
      if (!Number.isFinite(v))
        throw new Error(`${file.where}: the tensor "${name}" holds a value that is not a finite number.`);
    }
    return values;
  };
  const w = read(names.weight);
  const [gamma, beta, mean, variance] = BN_PARTS.map((part) => read(`${names.bn}.${part}`)) as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  const per = conv.cin * conv.kernel * conv.kernel;
  const weight = new Float32Array(w.length);
  const bias = new Float32Array(conv.cout);
  for (let o = 0; o < conv.cout; o++) {
    if (variance[o]! + TIMM_BATCHNORM_EPS <= 0) {
      throw new Error(`${file.where}: the tensor "${names.bn}.running_var" holds a negative variance.`);
    }
    const scale = gamma[o]! / Math.sqrt(variance[o]! + TIMM_BATCHNORM_EPS);
    for (let i = o * per; i < (o + 1) * per; i++) weight[i] = w[i]! * scale;
    bias[o] = beta[o]! - mean[o]! * scale;
  }
  return { weight, bias };
}

export interface ConvertedModel {
  onnx: Uint8Array;
  /** Tensors in the file that the graph does not use (fc, num_batches_tracked). */
  unused: string[];
}

/** timm ResNet-50 safetensors bytes -> the .onnx bytes of Komorebi's ResNet-50 graph. */
export function convertTimmResnet50(
  bytes: Uint8Array,
  where: string,
  metadata: Record<string, string> = {},
): ConvertedModel {
  const file = SafetensorsFile.parse(bytes, where);
  checkResnet50Tensors(file);
  const used = new Set(requiredTensors().map((t) => t.name));
  const onnx = buildResnet50Graph((conv) => fold(file, conv), {
    graphName: 'resnet50_timm',
    producer: 'komorebi convert-resnet50',
    metadata: {
      'komorebi.converter': CONVERTER_VERSION,
      'komorebi.batchnorm_eps': String(TIMM_BATCHNORM_EPS),
      ...metadata,
    },
  });
  return { onnx, unused: file.names().filter((n) => !used.has(n)) };
}
