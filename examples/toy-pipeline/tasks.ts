// The toy pipeline's two tasks: scale each raw image, then sum the scaled images of each detector
// over exposures. Small enough to check against analytic truth; used by the pipeline tests.
import { Exposure } from "@skystack/afw";
import {
  type ConfigOf,
  type Connections,
  type DataIdValues,
  defineConfig,
  field,
  type InputsOf,
  type OutputsOf,
  PipelineTask,
} from "@skystack/pipe";

const ScaleConfig = defineConfig("ScaleImageConfig", {
  factor: field.float({ doc: "Multiply every pixel by this", default: 2, units: "dimensionless" }),
  offset: field.float({ doc: "Then add this", default: 0, units: "adu" }),
  failOnDetectors: field.list(field.int({ doc: "detector", default: 0 }), {
    doc: "Raise on these detectors (to exercise failure handling)",
    default: [],
  }),
});

const scaleConnections = {
  inputs: {
    raw: {
      datasetType: "raw",
      storageClass: "RawExposure",
      dimensions: ["instrument", "exposure", "detector"],
      doc: "raw image",
    },
  },
  outputs: {
    scaled: {
      datasetType: "scaled",
      storageClass: "Exposure",
      dimensions: ["instrument", "exposure", "detector"],
      doc: "factor * raw + offset",
    },
  },
} as const satisfies Connections;

/** scaled = factor * raw + offset; variance = factor² × |raw| (Poisson-like, in adu²). */
export class ScaleImageTask extends PipelineTask<typeof ScaleConfig, typeof scaleConnections> {
  static readonly ConfigSchema = ScaleConfig;
  static readonly defaultName = "scale";
  static readonly connections = scaleConnections;
  static readonly dimensions = ["instrument", "exposure", "detector"] as const;
  declare readonly config: Readonly<ConfigOf<typeof ScaleConfig>>;

  async run(inputs: InputsOf<typeof scaleConnections>, dataId: DataIdValues): Promise<OutputsOf<typeof scaleConnections>> {
    if (this.config.failOnDetectors.includes(dataId.detector as number))
      throw new Error(`configured to fail on detector ${dataId.detector}`);
    const raw = inputs.raw;
    const out = Exposure.make(raw.width, raw.height);
    const { factor, offset } = this.config;
    const src = raw.image.array;
    const img = out.image.array;
    const vr = out.variance.array;
    for (let i = 0; i < img.length; i++) {
      img[i] = factor * src[i]! + offset;
      vr[i] = factor * factor * Math.abs(src[i]!);
    }
    this.metadata.nPixels = img.length;
    this.log.info(`scaled ${dataId.exposure}/${dataId.detector}`);
    return { scaled: out };
  }
}

const SumConfig = defineConfig("SumImagesConfig", {
  minInputs: field.int({ doc: "Fewest exposures to sum", default: 1, min: 1 }),
});

const sumConnections = {
  inputs: {
    scaled: {
      datasetType: "scaled",
      storageClass: "Exposure",
      dimensions: ["instrument", "exposure", "detector"],
      multiple: true,
    },
  },
  outputs: {
    summed: {
      datasetType: "summed",
      storageClass: "Exposure",
      dimensions: ["instrument", "detector"],
      doc: "pixel sum over exposures",
    },
    summary: {
      datasetType: "sumSummary",
      storageClass: "StructuredData",
      dimensions: ["instrument", "detector"],
      doc: "inputs and totals",
    },
  },
} as const satisfies Connections;

/** summed = Σ scaled over exposures (variance adds); summary lists the count and the pixel total. */
export class SumImagesTask extends PipelineTask<typeof SumConfig, typeof sumConnections> {
  static readonly ConfigSchema = SumConfig;
  static readonly defaultName = "sum";
  static readonly connections = sumConnections;
  static readonly dimensions = ["instrument", "detector"] as const;

  async run(inputs: InputsOf<typeof sumConnections>, dataId: DataIdValues): Promise<OutputsOf<typeof sumConnections>> {
    const list = inputs.scaled;
    if (list.length < this.config.minInputs)
      throw new Error(`detector ${dataId.detector}: ${list.length} inputs < minInputs ${this.config.minInputs}`);
    const first = list[0]!;
    const out = Exposure.make(first.width, first.height);
    for (const e of list) {
      out.image.array.forEach((v, i, a) => {
        a[i] = v + e.image.array[i]!;
      });
      out.variance.array.forEach((v, i, a) => {
        a[i] = v + e.variance.array[i]!;
      });
    }
    let total = 0;
    for (const v of out.image.array) total += v;
    return { summed: out, summary: { detector: dataId.detector, n: list.length, total } };
  }
}
