// A checkout's destination token for the native coin (ETH, POL, BNB, FTN …): the zero address, as
// the seed-003 clients write it. Deposits and outbound rows store null for it. Pure.
export const NATIVE_TOKEN = "0x0000000000000000000000000000000000000000" as const;

export const isNativeToken = (tokenAddress: string | null): boolean => tokenAddress === null || tokenAddress.toLowerCase() === NATIVE_TOKEN;
