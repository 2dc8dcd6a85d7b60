import {
  type Address,
  type AdmissionVerdict,
  type Contact,
  hashSecret,
  type KeyBasedRouting,
  type NodeRuntime,
  type PutAdmission,
  type PutOutcome,
  type StorageOptions,
  type TimerHandle,
} from "../sim/runtime/index.js";
import { STORAGE_CATEGORY, STORAGE_SIZE, type StorageMessageOf } from "./messages.js";
import type { Tuple } from "./tuple.js";
import type { TupleStore } from "./tuple-store.js";

/**
 * How long the root waits for replicas' acks before it reports the put with what it has. Bamboo's root gives up on
 * an ack after 60 s and never re-sends ("we never retry"): anti-entropy repairs what the copies missed.
 */
const ACK_GIVE_UP_MS = 60_000;

interface PendingFanout {
  gateway: Contact;
  gatewaySeq: number;
  outstanding: Set<Address>;
  acks: number;
  timer: TimerHandle;
}

/**
 * A put or remove at the key's root: the root writes it, sends it to the rest of its replica set, and tells the
 * gateway once its own write is done and `requiredAcks` replicas have acknowledged theirs (or none is outstanding
 * any more), as Bamboo's DataManager does. A replica writes what it is sent and acknowledges it; a remove whose
 * secret does not match the hash it names is refused everywhere.
 */
export class ReplicaFanout {
  private readonly pending = new Map<number, PendingFanout>();
  private nextSeq = 0;
  private readonly gaveUp = (seq: number) => {
    const p = this.pending.get(seq);
    if (p !== undefined) this.complete(seq, p);
  };

  constructor(
    private readonly rt: NodeRuntime,
    private readonly routing: KeyBasedRouting,
    private readonly o: StorageOptions,
    private readonly store: TupleStore,
    private readonly admission: PutAdmission | null = null,
  ) {}

  /**
   * The routed put reached us, the root by our own knowledge. A put (not a remove) is first offered to admission
   * control, when the run has one, and stored only if admitted; a refusal goes back to the gateway as AGAIN or CAP.
   */
  atRoot(m: StorageMessageOf<"putReq">): void {
    const t = m.tuple;
    if (t.remove && hashSecret(m.secret) !== t.secretHash) return this.answer(m.gateway, m.seq, "failed", 0);
    if (this.admission === null || t.remove) return this.storeAdmitted(m);
    this.admission.offer(m.client, t.size, (t.expiresUs - t.putTimeUs) / 1000, (verdict: AdmissionVerdict) => {
      if (verdict === "ok") this.storeAdmitted(m);
      else this.answer(m.gateway, m.seq, verdict, 0);
    });
  }

  /** Write the admitted put and copy it to the rest of the replica set. */
  private storeAdmitted(m: StorageMessageOf<"putReq">): void {
    const t = m.tuple;
    this.write(t);
    const targets = this.routing.replicaSet(t.key, this.o.replicas).filter((c) => c.address !== this.rt.address);
    if (targets.length === 0 || this.o.requiredAcks === 0) this.answer(m.gateway, m.seq, "ok", 0);
    if (targets.length === 0) return;
    const seq = this.nextSeq++;
    const outstanding = new Set(targets.map((c) => c.address));
    const acked = this.o.requiredAcks === 0;
    this.pending.set(seq, { gateway: acked ? NO_GATEWAY : m.gateway, gatewaySeq: m.seq, outstanding, acks: 0, timer: this.rt.setTimer(ACK_GIVE_UP_MS, this.gaveUp, seq) });
    const store: StorageMessageOf<"store"> = { layer: "storage", t: "store", seq, tuple: t, secret: m.secret };
    const bytes = STORAGE_SIZE.store(t);
    for (const c of targets) this.rt.send(c.address, store, bytes, STORAGE_CATEGORY.replicate);
  }

  /**
   * A copy sent by a root: write it and acknowledge. A remove's secret is checked where a client's remove enters
   * (the root and its copies); maintenance (`seq` −1: push-on-change) moves tombstones already checked.
   */
  copyReceived(from: Address, m: StorageMessageOf<"store">): void {
    const t = m.tuple;
    if (m.seq >= 0 && t.remove && hashSecret(m.secret) !== t.secretHash) return;
    this.write(t);
    if (m.seq < 0) return;
    this.rt.send(from, { layer: "storage", t: "storeAck", seq: m.seq }, STORAGE_SIZE.storeAck, STORAGE_CATEGORY.replicate);
  }

  acked(from: Address, seq: number): void {
    const p = this.pending.get(seq);
    if (p === undefined || !p.outstanding.delete(from)) return;
    p.acks++;
    if (p.acks >= this.o.requiredAcks || p.outstanding.size === 0) this.complete(seq, p);
  }

  private complete(seq: number, p: PendingFanout): void {
    this.pending.delete(seq);
    this.rt.cancelTimer(p.timer);
    if (p.gateway !== NO_GATEWAY) this.answer(p.gateway, p.gatewaySeq, "ok", p.acks);
  }

  private write(t: Tuple): void {
    this.store.add(t, Math.round(this.rt.now() * 1000));
  }

  private answer(gateway: Contact, seq: number, status: PutOutcome, acks: number): void {
    const m: StorageMessageOf<"putResp"> = { layer: "storage", t: "putResp", seq, status, acks };
    if (gateway.address === this.rt.address) return this.local?.(m);
    this.rt.send(gateway.address, m, STORAGE_SIZE.putResp, STORAGE_CATEGORY.put);
  }

  /** Where an answer to ourselves (we are both gateway and root) goes without a network hop. */
  local: ((m: StorageMessageOf<"putResp">) => void) | null = null;
}

/** The gateway of a put already answered (no acks required). */
const NO_GATEWAY: Contact = { address: -1, id: "" };
