import type { ProtocolDefinition } from "../../sim/runtime/index.js";
import { ChordNode } from "./chord-node.js";
import type { ChordMessage } from "./messages.js";
import { CHORD_WIRE } from "./wire.js";
import { type ChordOptions, chordOptionsSchema, parseChordOptions } from "./options.js";

export const chord: ProtocolDefinition<ChordOptions, ChordMessage> = {
  name: "chord",
  description: "Chord (Stoica et al., SIGCOMM 2001): successor list, predecessor and fingers kept by periodic stabilisation; recursive or iterative lookups.",
  ownership: "successor",
  optionsSchema: chordOptionsSchema,
  parseOptions: parseChordOptions,
  keyBasedRouting: true,
  convergedStart: true,
  create: (runtime, options) => new ChordNode(runtime, options),
  memoryPerNode: () => 32 * 1024,
  wire: CHORD_WIRE,
};
