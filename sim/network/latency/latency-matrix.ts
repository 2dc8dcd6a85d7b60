/** One-way delays between hosts, in milliseconds. Symmetric, with zero on the diagonal. */
export interface LatencyMatrix {
  readonly hosts: number;
  /** Where the delays come from, for results and reports. */
  readonly source: string;
  oneWayMs(a: number, b: number): number;
}

/** A full n×n matrix in a typed array: one read per lookup. */
export class DenseLatencyMatrix implements LatencyMatrix {
  constructor(
    readonly hosts: number,
    private readonly delays: Float32Array,
    readonly source: string,
  ) {
    if (delays.length !== hosts * hosts) throw new Error(`a ${hosts}-host matrix needs ${hosts * hosts} entries, got ${delays.length}`);
  }

  oneWayMs(a: number, b: number): number {
    return this.delays[a * this.hosts + b];
  }
}
