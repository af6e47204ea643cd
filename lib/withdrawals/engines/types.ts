import type { ChainConfig } from "@/lib/config";
import type { NetworkFamily } from "@/lib/config/networks";

export type EngineOptions = {
  mnemonic: string;
  /** false: sign and record without broadcasting, as if the process died right after the commit (tests) */
  broadcast?: boolean;
};

/** One network family's withdrawal engine: a pass over the chain's queue (pending and processing rows). */
export type WithdrawalEngine = {
  family: NetworkFamily;
  pass(chain: ChainConfig, opts: EngineOptions): Promise<void>;
};
