// Shared with the layers above routing (storage declares its messages the same way), so it lives with the runtime.
export type { Counted, MessageCategories } from "../../sim/runtime/index.js";
