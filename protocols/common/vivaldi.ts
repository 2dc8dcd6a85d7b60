import type { RandomStream } from "../../sim/runtime/index.js";

/** A Vivaldi coordinate: a point in a Euclidean plane (or space) plus a height for the access link (ms). */
export interface Coordinate {
  readonly x: readonly number[];
  readonly height: number;
  /** The owner's confidence: its recent relative prediction error (1 = know nothing). */
  readonly error: number;
}

const MIN_HEIGHT = 0.1;

/**
 * Vivaldi network coordinates (Dabek, Cox, Kaashoek, Morris, SIGCOMM 2004) with height vectors and the
 * adaptive timestep: each RTT sample moves our coordinate along the spring to the remote one, by a step
 * weighted by how sure we are relative to the remote node. Predicted RTT = ‖x − y‖ + h_x + h_y.
 */
export class Vivaldi {
  private x: number[];
  private height = MIN_HEIGHT;
  private error = 1;

  constructor(
    dimensions: number,
    private readonly random: RandomStream,
    private readonly cc = 0.25,
    private readonly ce = 0.25,
  ) {
    this.x = new Array(dimensions).fill(0);
  }

  get coordinate(): Coordinate {
    return { x: this.x.slice(), height: this.height, error: this.error };
  }

  predict(remote: Coordinate): number {
    return distance(this.x, remote.x) + this.height + remote.height;
  }

  /** One RTT sample to a node at `remote`. */
  observe(rtt: number, remote: Coordinate): void {
    if (!(rtt > 0)) return;
    const predicted = this.predict(remote);
    const w = this.error / (this.error + remote.error);
    const sampleError = Math.abs(predicted - rtt) / rtt;
    this.error = Math.min(1, sampleError * this.ce * w + this.error * (1 - this.ce * w));
    const step = this.cc * w * (rtt - predicted);
    // Unit vector from the remote point to ours; a random one when the points coincide (as at the start).
    let dir = this.x.map((xi, i) => xi - remote.x[i]);
    let norm = distance(this.x, remote.x);
    if (norm === 0) {
      dir = dir.map(() => this.random.next() - 0.5);
      norm = Math.hypot(...dir);
    }
    const span = norm + this.height + remote.height;
    for (let i = 0; i < this.x.length; i++) this.x[i] += (step * dir[i]) / span;
    this.height = Math.max(MIN_HEIGHT, this.height + (step * (this.height + remote.height)) / span);
  }
}

function distance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}
