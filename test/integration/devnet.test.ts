import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, erc20Abi, getAddress, getContractAddress, http, keccak256, parseEventLogs, toBytes } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { MOCK_ERC20_ARTIFACT_PATH, compileMockErc20, serializeArtifact } from "../../lib/devnet/compile-mock-erc20";
import { SWEEPER_ARTIFACT_PATH, compileSweeper } from "../../lib/chains/evm/sweeper/compile";
import { serializeContract } from "../../lib/devnet/solc";
import {
  DEVNET_EVM_CHAINS,
  DEVNET_EXTRA_DEPLOYER_SEED,
  DEVNET_EXTRA_TOKEN_ADDRESSES,
  DEVNET_EXTRA_TOKENS,
  DEVNET_TOKEN_ADDRESSES,
  DEVNET_TOKENS,
  devnetDeployer,
  freePorts,
  mintDevnetToken,
  standardAccounts,
  startEvmDevnet,
  type EvmDevnet,
} from "../../lib/devnet/evm";

const TIMEOUT = 60_000;
const ONE_MILLION = 1_000_000n * 10n ** 6n;
const SYMBOLS = ["USDC", "USDT"] as const;
const N = DEVNET_EVM_CHAINS.length;
/** 1,000,000 whole tokens at `decimals` */
const million = (decimals: number) => ONE_MILLION * 10n ** BigInt(decimals - 6);

function client(rpcUrl: string) {
  // cacheTime 0: viem otherwise caches eth_blockNumber for seconds.
  return createPublicClient({ transport: http(rpcUrl), pollingInterval: 50, cacheTime: 0 });
}

function balanceOf(rpcUrl: string, token: `0x${string}`, owner: `0x${string}`) {
  return client(rpcUrl).readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
}

async function withDevnet<T>(devnet: EvmDevnet, fn: (devnet: EvmDevnet) => Promise<T>): Promise<T> {
  try {
    return await fn(devnet);
  } finally {
    await devnet.stop();
  }
}

describe("devnet constants", () => {
  it("token addresses are the deployer's CREATE addresses at nonces 0 and 1, checksummed", () => {
    for (const token of DEVNET_TOKENS) {
      const expected = getContractAddress({ from: devnetDeployer.address, nonce: BigInt(token.deployerNonce) });
      expect(DEVNET_TOKEN_ADDRESSES[token.symbol]).toBe(expected);
      expect(getAddress(DEVNET_TOKEN_ADDRESSES[token.symbol])).toBe(DEVNET_TOKEN_ADDRESSES[token.symbol]);
    }
    const extraDeployer = privateKeyToAccount(keccak256(toBytes(DEVNET_EXTRA_DEPLOYER_SEED)));
    for (const token of DEVNET_EXTRA_TOKENS) {
      expect(DEVNET_EXTRA_TOKEN_ADDRESSES[token.symbol]).toBe(getContractAddress({ from: extraDeployer.address, nonce: BigInt(token.deployerNonce) }));
    }
  });

  it("standard accounts are anvil's default accounts", () => {
    const accounts = standardAccounts();
    expect(accounts).toHaveLength(10);
    expect(accounts[0]).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    expect(accounts[9]).toBe("0xa0Ee7A142d267C1f36714E4a8F75612F20a79720");
  });

  it("committed mock-erc20.json matches MockERC20.sol", () => {
    expect(readFileSync(MOCK_ERC20_ARTIFACT_PATH, "utf8")).toBe(serializeArtifact(compileMockErc20()));
  }, TIMEOUT);

  it("committed sweeper.json matches TollgateSweeper.sol", () => {
    expect(readFileSync(SWEEPER_ARTIFACT_PATH, "utf8")).toBe(serializeContract(compileSweeper()));
  }, TIMEOUT);
});

describe("ephemeral EVM devnet", () => {
  it(
    "starts every chain with funded mock tokens (18-decimal stablecoins on BSC) and mints on demand",
    async () => {
      const ports = await freePorts(N);
      const started = Date.now();
      const devnet = await startEvmDevnet({ ports });
      // Typically about 1 s on an idle machine (the start-up log prints it); this bound only catches a
      // set-up that hangs or redeploys per block — under a loaded suite 5 s was exceeded (5–8.5 s).
      expect(Date.now() - started).toBeLessThan(30_000);

      await withDevnet(devnet, async () => {
        expect(devnet.chains.map((c) => c.network)).toEqual(DEVNET_EVM_CHAINS.map((c) => c.network));
        for (const [i, chain] of devnet.chains.entries()) {
          expect(chain.port).toBe(ports[i]);
          expect(chain.rpcUrl).toBe(`http://127.0.0.1:${ports[i]}`);
          expect(await client(chain.rpcUrl).getChainId()).toBe(DEVNET_EVM_CHAINS[i]?.chainId);
          expect(chain.tokens).toEqual({ ...DEVNET_TOKEN_ADDRESSES, ...DEVNET_EXTRA_TOKEN_ADDRESSES });
          const decimals = DEVNET_EVM_CHAINS[i]!.stablecoinDecimals;

          for (const token of DEVNET_TOKENS) {
            const address = DEVNET_TOKEN_ADDRESSES[token.symbol];
            const read = <F extends "decimals" | "symbol" | "name" | "totalSupply">(functionName: F) =>
              client(chain.rpcUrl).readContract({ address, abi: erc20Abi, functionName });
            expect(await read("decimals")).toBe(decimals);
            expect(await read("symbol")).toBe(token.symbol);
            expect(await read("name")).toBe(token.name);
            expect(await read("totalSupply")).toBe(10n * million(decimals));
          }
          for (const token of DEVNET_EXTRA_TOKENS) {
            const address = DEVNET_EXTRA_TOKEN_ADDRESSES[token.symbol];
            expect(await client(chain.rpcUrl).readContract({ address, abi: erc20Abi, functionName: "decimals" })).toBe(token.decimals);
            expect(await client(chain.rpcUrl).readContract({ address, abi: erc20Abi, functionName: "symbol" })).toBe(token.ticker);
            expect(await balanceOf(chain.rpcUrl, address, standardAccounts()[0]!)).toBe(million(token.decimals));
          }
          for (const account of standardAccounts()) {
            for (const symbol of SYMBOLS) {
              expect(await balanceOf(chain.rpcUrl, DEVNET_TOKEN_ADDRESSES[symbol], account)).toBe(million(decimals));
            }
          }
        }

        // Parallel mints to several fresh addresses must not trip over each other's nonces.
        const polygon = devnet.chains[1]!;
        const recipients = Array.from({ length: 4 }, () => privateKeyToAccount(generatePrivateKey()).address);
        const hashes = await Promise.all(
          recipients.map((to, i) => mintDevnetToken(polygon.rpcUrl, DEVNET_TOKEN_ADDRESSES.USDT, to, 1_234_567n + BigInt(i))),
        );
        for (const [i, to] of recipients.entries()) {
          expect(await balanceOf(polygon.rpcUrl, DEVNET_TOKEN_ADDRESSES.USDT, to)).toBe(1_234_567n + BigInt(i));
          expect(await balanceOf(polygon.rpcUrl, DEVNET_TOKEN_ADDRESSES.USDC, to)).toBe(0n);
        }
        const receipt = await client(polygon.rpcUrl).getTransactionReceipt({ hash: hashes[0]! });
        const [transfer] = parseEventLogs({ abi: erc20Abi, eventName: "Transfer", logs: receipt.logs });
        expect(transfer?.address).toBe(DEVNET_TOKEN_ADDRESSES.USDT.toLowerCase());
        expect(transfer?.args).toEqual({
          from: "0x0000000000000000000000000000000000000000",
          to: recipients[0],
          value: 1_234_567n,
        });
        // The other chain is independent.
        expect(await balanceOf(devnet.chains[0]!.rpcUrl, DEVNET_TOKEN_ADDRESSES.USDT, recipients[0]!)).toBe(0n);
      });
    },
    TIMEOUT,
  );

  it(
    "keeps producing blocks at the configured block time",
    async () => {
      const devnet = await startEvmDevnet({ ports: await freePorts(N), blockTimeSeconds: 0.2 });
      await withDevnet(devnet, async () => {
        const c = client(devnet.chains[0]!.rpcUrl);
        const before = await c.getBlockNumber();
        await new Promise((r) => setTimeout(r, 1_500));
        expect(await c.getBlockNumber()).toBeGreaterThan(before + 2n);
      });
    },
    TIMEOUT,
  );

  it(
    "fails clearly when a port is already in use",
    async () => {
      const devnet = await startEvmDevnet({ ports: await freePorts(N) });
      await withDevnet(devnet, async () => {
        const free = await freePorts(N);
        const busy = devnet.chains[0]!.port;
        await expect(startEvmDevnet({ ports: [busy, ...free.slice(1)] })).rejects.toThrow(`port ${busy}`);
        // The chains that could start were shut down again, so their ports are free.
        const retry = await startEvmDevnet({ ports: free });
        await retry.stop();
      });
    },
    TIMEOUT,
  );
});

describe("persistent EVM devnet", () => {
  it(
    "keeps balances, history and block height across a restart without redeploying",
    async () => {
      const stateDir = mkdtempSync(join(tmpdir(), "tollgate-devnet-"));
      try {
        const ports = await freePorts(N);
        const holder = privateKeyToAccount(generatePrivateKey()).address;
        let mintHash: `0x${string}` = "0x";
        let heightBefore = 0n;
        const nonceAfterSetup = 2 + 2 * standardAccounts().length; // 2 deployments + 20 mints

        await withDevnet(await startEvmDevnet({ ports, stateDir }), async (devnet) => {
          const eth = devnet.chains[0]!;
          mintHash = await mintDevnetToken(eth.rpcUrl, DEVNET_TOKEN_ADDRESSES.USDC, holder, 42_000_000n);
          expect(await client(eth.rpcUrl).getTransactionCount({ address: devnetDeployer.address })).toBe(nonceAfterSetup);
          heightBefore = await client(eth.rpcUrl).getBlockNumber();
          expect(heightBefore).toBeGreaterThan(0n);
        });

        await withDevnet(await startEvmDevnet({ ports, stateDir }), async (devnet) => {
          const eth = devnet.chains[0]!;
          const c = client(eth.rpcUrl);
          // No redeploy/re-mint: the deployer nonce is unchanged and balances are not doubled.
          expect(await c.getTransactionCount({ address: devnetDeployer.address })).toBe(nonceAfterSetup);
          expect(await balanceOf(eth.rpcUrl, DEVNET_TOKEN_ADDRESSES.USDC, holder)).toBe(42_000_000n);
          for (const chain of devnet.chains) {
            for (const symbol of SYMBOLS) {
              expect(await balanceOf(chain.rpcUrl, DEVNET_TOKEN_ADDRESSES[symbol], standardAccounts()[3]!)).toBe(
                million(DEVNET_EVM_CHAINS.find((d) => d.chainId === chain.chainId)!.stablecoinDecimals),
              );
            }
          }
          // Blocks, transactions and receipts survive; the head continues from where it was.
          expect(await c.getBlockNumber()).toBeGreaterThanOrEqual(heightBefore);
          const receipt = await c.getTransactionReceipt({ hash: mintHash });
          expect(receipt.status).toBe("success");
          const logs = await c.getContractEvents({
            address: DEVNET_TOKEN_ADDRESSES.USDC,
            abi: erc20Abi,
            eventName: "Transfer",
            args: { to: holder },
            fromBlock: 0n,
            toBlock: "latest",
          });
          expect(logs.map((l) => l.transactionHash)).toEqual([mintHash]);
        });
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );
});
