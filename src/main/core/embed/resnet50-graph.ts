// The ResNet-50 v1.5 graph (timm `resnet50` / torchvision `resnet50`) with every BatchNorm folded
// into the convolution before it: 53 convolutions with biases, input `pixels` [N,3,224,224],
// output `embedding` [N,2048] (global average pool, no classifier), opset 17. The converter
// fills it from timm's safetensors; the benchmark script fills it with seeded weights.
import { OnnxGraphBuilder } from './onnx-graph';

/** One convolution of the network, named as timm names the module that holds its weight. */
export interface ResnetConv {
  /** 'conv1', 'layer1.0.conv2', 'layer2.0.downsample', ... */
  name: string;
  cout: number;
  cin: number;
  kernel: number;
  stride: number;
}

/** A convolution's weights after folding its BatchNorm in: weight [cout, cin, k, k], bias [cout]. */
export interface FoldedConv {
  weight: Float32Array;
  bias: Float32Array;
}

/** Channels and block counts of the four stages. */
const STAGES: [width: number, blocks: number][] = [
  [64, 3],
  [128, 4],
  [256, 6],
  [512, 3],
];

/** What tracing the network does at each layer (build a graph, or only list the convolutions). */
interface Layers<T> {
  conv(x: T, c: ResnetConv, relu: boolean): T;
  maxPool(x: T): T;
  addRelu(y: T, shortcut: T, block: string): T;
}

/** The network, layer by layer: the stem, then 16 bottleneck blocks (v1.5: the stride sits on the 3x3). */
function traceResnet50<T>(input: T, layers: Layers<T>): T {
  let x = layers.maxPool(layers.conv(input, { name: 'conv1', cout: 64, cin: 3, kernel: 7, stride: 2 }, true));
  let cin = 64;
  for (const [s, [width, blocks]] of STAGES.entries()) {
    for (let b = 0; b < blocks; b++) {
      const stride = b === 0 && s > 0 ? 2 : 1;
      const name = `layer${s + 1}.${b}`;
      let y = layers.conv(x, { name: `${name}.conv1`, cout: width, cin, kernel: 1, stride: 1 }, true);
      y = layers.conv(y, { name: `${name}.conv2`, cout: width, cin: width, kernel: 3, stride }, true);
      y = layers.conv(y, { name: `${name}.conv3`, cout: width * 4, cin: width, kernel: 1, stride: 1 }, false);
      const shortcut =
        b === 0
          ? layers.conv(x, { name: `${name}.downsample`, cout: width * 4, cin, kernel: 1, stride }, false)
          : x;
      x = layers.addRelu(y, shortcut, name);
      cin = width * 4;
    }
  }
  return x;
}

/** Every convolution of ResNet-50, in graph order (53 of them). */
export function resnet50Convs(): ResnetConv[] {
  const convs: ResnetConv[] = [];
  traceResnet50(null, {
    conv: (_x, c) => {
      convs.push(c);
      return null;
    },
    maxPool: () => null,
    addRelu: () => null,
  });
  return convs;
}

export interface Resnet50GraphOptions {
  graphName: string;
  producer: string;
  metadata?: Record<string, string>;
}

/**
 * Builds the graph, asking `weightsOf` for each convolution's folded weights in graph order, and
 * returns the encoded .onnx bytes.
 */
export function buildResnet50Graph(
  weightsOf: (conv: ResnetConv) => FoldedConv,
  opts: Resnet50GraphOptions,
): Uint8Array {
  const g = new OnnxGraphBuilder();
  const conv = (input: string, c: ResnetConv, relu: boolean): string => {
    const { weight, bias } = weightsOf(c);
    const pad = Math.floor(c.kernel / 2);
    const y = g.node(
      'Conv',
      [
        input,
        g.addFloat(`${c.name}.weight`, [c.cout, c.cin, c.kernel, c.kernel], weight),
        g.addFloat(`${c.name}.bias`, [c.cout], bias),
      ],
      c.name,
      { kernel_shape: [c.kernel, c.kernel], strides: [c.stride, c.stride], pads: [pad, pad, pad, pad] },
    );
    return relu ? g.node('Relu', [y], `${c.name}.relu`) : y;
  };

  g.fresh('pixels');
  const features = traceResnet50('pixels', {
    conv,
    maxPool: (x) =>
      g.node('MaxPool', [x], 'maxpool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
    addRelu: (y, shortcut, block) =>
      g.node('Relu', [g.node('Add', [y, shortcut], `${block}.add`)], `${block}.out`),
  });
  g.node('Flatten', [g.node('GlobalAveragePool', [features], 'avgpool')], 'flatten', { axis: 1 });
  g.renameLastOutput('embedding');
  return g.encode({
    graphName: opts.graphName,
    producer: opts.producer,
    input: { name: 'pixels', shape: ['batch', 3, 224, 224] },
    output: { name: 'embedding', shape: ['batch', 2048] },
    metadata: opts.metadata,
  });
}
