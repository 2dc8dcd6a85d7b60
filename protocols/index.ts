import type { ProtocolDefinition } from "../sim/runtime/index.js";
import { bamboo } from "./bamboo/index.js";
import { chord } from "./chord/index.js";
import { kademlia } from "./kademlia/index.js";
import { oneHop } from "./onehop/onehop.js";
import { pastry } from "./pastry/index.js";

/** Every protocol a scenario can name in `protocol.name`. Register a new protocol here. */
export const PROTOCOLS: Readonly<Record<string, ProtocolDefinition<any, any>>> = {
  [bamboo.name]: bamboo,
  [chord.name]: chord,
  [kademlia.name]: kademlia,
  [oneHop.name]: oneHop,
  [pastry.name]: pastry,
};
