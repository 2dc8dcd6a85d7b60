/**
 * The byte-level writer and reader the field codecs share. Big-endian throughout, as network byte order. The
 * writer is one growing scratch buffer per codec, so encoding a message allocates only the datagram it returns.
 */
export class Writer {
  private buf = Buffer.allocUnsafe(512);
  private pos = 0;

  reset(): void {
    this.pos = 0;
  }

  /** The bytes written since `reset`, copied out: the scratch buffer is reused by the next message. */
  take(): Uint8Array {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    this.reserve(2);
    this.pos = this.buf.writeUInt16BE(v, this.pos);
  }

  u32(v: number): void {
    this.reserve(4);
    this.pos = this.buf.writeUInt32BE(v, this.pos);
  }

  f32(v: number): void {
    this.reserve(4);
    this.pos = this.buf.writeFloatBE(v, this.pos);
  }

  f64(v: number): void {
    this.reserve(8);
    this.pos = this.buf.writeDoubleBE(v, this.pos);
  }

  /** `hex`, already checked to be `2 * n` hex digits, as `n` bytes. */
  hex(hex: string, n: number): void {
    this.reserve(n);
    this.pos += this.buf.write(hex, this.pos, n, "hex");
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

/** Reads one datagram; every read checks that the bytes are there, so a truncated message fails rather than reads zeros. */
export class Reader {
  private readonly buf: Buffer;
  private pos = 0;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes not yet read. */
  get left(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new RangeError(`truncated: ${n} more bytes wanted at byte ${this.pos} of ${this.buf.length}`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  f32(): number {
    this.need(4);
    const v = this.buf.readFloatBE(this.pos);
    this.pos += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** `n` bytes as 2n lowercase hex digits. */
  hex(n: number): string {
    this.need(n);
    const s = this.buf.toString("hex", this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** `n` bytes, copied (the datagram's buffer may be reused by the socket). */
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = Uint8Array.prototype.slice.call(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}
