export { DenseLatencyMatrix, type LatencyMatrix } from "./latency-matrix.js";
export { loadKingTopology, loadLatencyFile, loadRttMatrix } from "./latency-files.js";
export { syntheticKing } from "./synthetic-king.js";
