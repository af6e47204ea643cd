// One credit to a watched address as read from a chain, before it is recorded as a deposit.

export type Credit = {
  network: string;
  livemode: boolean;
  chainId: number | null;
  txHash: `0x${string}`;
  /** the Transfer log's index; -1 for a native-coin transaction */
  logIndex: number;
  blockNumber: number;
  blockHash: `0x${string}`;
  /** the block's timestamp: decides whether the credit came after the checkout expired */
  blockTime: Date;
  /** lower case */
  from: `0x${string}` | null;
  /** lower case */
  to: `0x${string}`;
  /** lower case; null for the native coin */
  tokenAddress: `0x${string}` | null;
  assetCode: string;
  amount: bigint;
};
