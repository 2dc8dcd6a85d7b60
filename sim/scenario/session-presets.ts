import { type DistributionSpec, weibullWithMedian } from "./distribution-specs.js";

export type PresetName = "gnutella" | "kazaa" | "overnet" | "fasttrack";

export interface Preset {
  /** Measured median session time (ms). */
  median: number;
  source: string;
  /** Shape k of the heavy-tailed Weibull fit; its scale follows from the median. */
  weibullShape: number;
  fitBasis: string;
}

const MIN = 60_000;

/** Session times measured in deployed peer-to-peer systems, and heavy-tailed fits to them. */
export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  gnutella: {
    median: 60 * MIN,
    source: "Saroiu, Gummadi, Gribble, MMCN 2002: 50% of Gnutella sessions last under 60 min",
    weibullShape: 0.349,
    fitBasis: "matches Saroiu's median and Chu et al.'s 31% of sessions under 10 min (scale 171.6 min)",
  },
  kazaa: {
    median: 2.4 * MIN,
    source: "Gummadi et al., SOSP 2003: 50% of Kazaa sessions last under 2.4 min",
    weibullShape: 0.487,
    fitBasis: "matches Gummadi's median and 90th percentile of 28.25 min (scale 5.09 min)",
  },
  overnet: {
    median: 60 * MIN,
    source: "Bhagwan, Savage, Voelker, IPTPS 2003: 50% of Overnet sessions last under 60 min",
    weibullShape: 0.5,
    fitBasis: "only a median is published; shape from KAD measurements (Steiner et al. 2009, k = 0.5)",
  },
  fasttrack: {
    median: 1 * MIN,
    source: "Sen and Wang, IMW 2002: 50% of FastTrack sessions last under 1 min",
    weibullShape: 0.487,
    fitBasis: "only a median is published; shape borrowed from the Kazaa fit",
  },
};

/**
 * A preset's session-time distribution: exponential (the paper's model) or its heavy-tailed Weibull fit, with
 * the same median — the preset's, or `tMedOverride` (the fit then keeps its shape and rescales).
 */
export function presetDistribution(name: PresetName, shape: "exponential" | "heavy-tailed", tMedOverride?: number): DistributionSpec {
  const preset = PRESETS[name];
  const median = tMedOverride ?? preset.median;
  return shape === "exponential" ? { type: "exponential", median } : weibullWithMedian(preset.weibullShape, median);
}
