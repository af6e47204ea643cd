// One credit to a watched address as read from a chain, before it is recorded as a deposit. The
// address and hash forms are each family's own (EVM: lower-case 0x hex; other families: what
// their addresses.key gives), so a family outside EVM fills it without a special case.

export type Credit = {
  network: string;
  livemode: boolean;
  chainId: number | null;
  txHash: string;
  /** the Transfer log's index; -1 for a native-coin transaction */
  logIndex: number;
  blockNumber: number;
  blockHash: string;
  /** the block's timestamp: decides whether the credit came after the checkout expired */
  blockTime: Date;
  /** the family's comparison key (EVM: lower case); null when the sender cannot be determined */
  from: string | null;
  /** the family's comparison key (EVM: lower case) */
  to: string;
  /** the token contract, mint or jetton master (the family's key form); null for the native coin */
  tokenAddress: string | null;
  assetCode: string;
  amount: bigint;
};
