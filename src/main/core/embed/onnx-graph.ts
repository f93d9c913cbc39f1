// A small builder for ONNX graphs written straight to protobuf, so Komorebi makes its own models
// in Node: the ResNet-50 converted from safetensors at run time, the offline model and the seeded
// benchmark graph at set-up.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

type Attr = number | number[] | string;

export interface GraphValue {
  name: string;
  /** Dimensions; a string is a symbolic dimension (e.g. 'batch'). */
  shape: (number | string)[];
}

export class OnnxGraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly names = new Set<string>();

  /** A unique tensor name based on `base`. */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  addFloat(base: string, dims: number[], data: Float32Array): string {
    const name = this.fresh(base);
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw });
    return name;
  }

  addInt64(base: string, values: number[]): string {
    const name = this.fresh(base);
    const raw = new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer);
    this.initializers.push({
      name,
      dims: [values.length],
      dataType: onnx.TensorProto.DataType.INT64,
      rawData: raw,
    });
    return name;
  }

  node(opType: string, inputs: string[], outputBase: string, attrs: Record<string, Attr> = {}): string {
    const output = this.fresh(outputBase);
    const attribute = Object.entries(attrs).map(([name, v]) => toAttribute(name, v));
    this.nodes.push({ opType, input: inputs, output: [output], name: output, attribute });
    return output;
  }

  /** Renames the last node's output (so the graph output gets a stable public name). */
  renameLastOutput(to: string): string {
    const last = this.nodes[this.nodes.length - 1]!;
    last.output = [to];
    this.names.add(to);
    return to;
  }

  encode(opts: {
    graphName: string;
    input: GraphValue;
    output: GraphValue;
    producer: string;
    metadata?: Record<string, string>;
  }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: opts.producer,
      opsetImport: [{ domain: '', version: 17 }],
      metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: opts.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: [valueInfo(opts.input)],
        output: [valueInfo(opts.output)],
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

/** Reads the metadata_props of an ONNX file (used to tell whether a built model is up to date). */
export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const model = onnx.ModelProto.decode(bytes);
  const out: Record<string, string> = {};
  for (const p of model.metadataProps ?? []) if (p.key) out[p.key] = p.value ?? '';
  return out;
}

function toAttribute(name: string, v: Attr): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if (Number.isInteger(v)) return { name, type: T.INT, i: v };
  return { name, type: T.FLOAT, f: v };
}

function valueInfo(v: GraphValue): onnxProto.onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: v.shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}
