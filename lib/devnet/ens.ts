// The devnet's ENS: deployed once per chain state at deterministic addresses, and names
// registered on demand (tests, the demo). Devnet only: the deployer key derives from a public seed.
import { createPublicClient, createTestClient, createWalletClient, defineChain, http, keccak256, labelhash, namehash, toBytes, type Abi, type Address, type Hex } from "viem";
import { normalize } from "viem/ens";
import { privateKeyToAccount } from "viem/accounts";
import artifact from "./contracts/mini-ens.json" with { type: "json" };
import { DEVNET_ENS_DEPLOYER_SEED, DEVNET_ENS_REGISTRY, DEVNET_ENS_RESOLVER } from "./evm-constants";

const registryAbi = artifact.registry.abi as unknown as Abi;
const resolverAbi = artifact.resolver.abi as unknown as Abi;
export const devnetEnsDeployer = privateKeyToAccount(keccak256(toBytes(DEVNET_ENS_DEPLOYER_SEED)));

function clients(rpcUrl: string, chainId: number) {
  const chain = defineChain({ id: chainId, name: `devnet-${chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } });
  return {
    pub: createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 50 }),
    wallet: createWalletClient({ account: devnetEnsDeployer, chain, transport: http(rpcUrl) }),
    anvil: createTestClient({ mode: "anvil", transport: http(rpcUrl) }),
  };
}

/** Deploys the registry and resolver unless the chain state already has them. */
export async function ensureDevnetEns(rpcUrl: string, chainId: number): Promise<boolean> {
  const { pub, wallet, anvil } = clients(rpcUrl, chainId);
  const code = await pub.getCode({ address: DEVNET_ENS_RESOLVER });
  if (code && code !== "0x") return false;
  const nonce = await pub.getTransactionCount({ address: devnetEnsDeployer.address });
  if (nonce !== 0) throw new Error(`devnet chain ${chainId}: ENS deployer nonce is ${nonce} but no resolver is deployed; delete the devnet state and restart`);
  await anvil.setBalance({ address: devnetEnsDeployer.address, value: 10n ** 20n });
  const hashes: Hex[] = [
    await wallet.deployContract({ abi: registryAbi, bytecode: artifact.registry.bytecode as Hex, nonce: 0, gas: 2_000_000n }),
    await wallet.deployContract({ abi: resolverAbi, bytecode: artifact.resolver.bytecode as Hex, args: [DEVNET_ENS_REGISTRY], nonce: 1, gas: 2_000_000n }),
  ];
  await anvil.mine({ blocks: 1 });
  for (const hash of hashes) {
    const r = await pub.waitForTransactionReceipt({ hash });
    if (r.status !== "success") throw new Error(`devnet ENS deployment reverted (${hash})`);
  }
  return true;
}

/** Points `name` (e.g. "alice.eth") at `address` on the devnet's ENS, creating every parent on the way. */
export async function registerDevnetEnsName(rpcUrl: string, chainId: number, name: string, address: Address): Promise<void> {
  const { pub, wallet } = clients(rpcUrl, chainId);
  const labels = normalize(name).split(".");
  const send = async (hash: Promise<Hex>) => {
    const r = await pub.waitForTransactionReceipt({ hash: await hash });
    if (r.status !== "success") throw new Error(`devnet ENS registration of ${name} reverted`);
  };
  let parent = namehash("");
  for (let i = labels.length - 1; i >= 0; i--) {
    await send(wallet.writeContract({ address: DEVNET_ENS_REGISTRY, abi: registryAbi, functionName: "setSubnodeOwner", args: [parent, labelhash(labels[i]), devnetEnsDeployer.address] }));
    parent = namehash(labels.slice(i).join("."));
  }
  await send(wallet.writeContract({ address: DEVNET_ENS_REGISTRY, abi: registryAbi, functionName: "setResolver", args: [parent, DEVNET_ENS_RESOLVER] }));
  await send(wallet.writeContract({ address: DEVNET_ENS_RESOLVER, abi: resolverAbi, functionName: "setAddr", args: [parent, address] }));
}
