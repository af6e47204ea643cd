import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { evmAddressInput, jsonAmountInput, publicSessionSchema, sessionSchema, solanaAddressInput } from "@/lib/sessions/schemas";

const amountUsd = jsonAmountInput.optional()
  .meta({ description: "amount in US dollars, as a decimal string or a JSON number (read exactly)", example: "25.00" });

const paymentMethod = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("evm"),
    chainId: z.number().int().positive().optional()
      .meta({ description: "the chain the payer intends to pay on: an enabled EVM network of the session's mode", example: 1 }),
    tokenAddress: evmAddressInput.optional()
      .meta({ description: "the token the payer intends to send: a stablecoin this instance accepts (on `chainId` when given)", example: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48" }),
  }),
  z.strictObject({ type: z.literal("tron"), amountUsd }),
  z.strictObject({ type: z.literal("ton"), amountUsd }),
  z.strictObject({
    type: z.literal("bitcoin"),
    network: z.string().min(1).max(40)
      .meta({ description: "the network to pay on, in its native coin at a quoted price: `bitcoin` (BTC) or `litecoin` (LTC), enabled in the session's mode", example: "bitcoin" }),
  }),
  z.strictObject({
    type: z.literal("solana"),
    walletAddress: solanaAddressInput.meta({ description: "the payer's wallet: fee payer of the transaction to sign" }),
    inputTokenMint: solanaAddressInput.meta({ description: "the SPL token mint to pay with" }),
    amountUsd,
  }),
]).meta({ id: "PaymentMethodInput" });

export const choosePaymentMethod = defineEndpoint({
  method: "POST",
  path: "/v1/sessions/{id}/paymentMethods",
  tag: "Sessions",
  summary: "Choose a payment method",
  description: "Sets how the payer will pay. `evm`: the session gets a deposit address (`paymentMethod.receiverAddress`) unique to it " +
    "and valid on every enabled EVM network; the session moves to `waiting_payment`. Choosing again while `waiting_payment` " +
    "replaces the method and keeps the address. `tron`: the session gets its own TRC-20 receiver (a base58check `T…` address, " +
    "returned as `tron.receiverAddress` with `tron.expiresAt`) that accepts USDT and USDC on Tron for a USD-stablecoin session; " +
    "`amountUsd` is accepted but the session's amount governs. `ton`: the same with a TON receiver of the session's own " +
    "(user-friendly non-bounceable, `ton.receiverAddress`), paid with USDT on TON (a `ton://transfer/…` link) and forwarded to the merchant's TON settlement address. `solana`: an unsigned transaction (hex) paying the amount of `inputTokenMint` " +
    "(a USD stablecoin mint this instance accepts) straight to the merchant's Solana wallet, fee payer = `walletAddress`, carrying a " +
    "fresh reference key that identifies the session; every call makes a new one, earlier ones stay watched. `bitcoin` with `network` " +
    "`bitcoin` or `litecoin`: the session's USD amount is quoted in BTC or LTC from the instance's rate provider (the quote, fixed for the " +
    "session's life, is `paymentMethod.quote`), and the session gets its own BIP84 receiver on that network (`bitcoin.receiverAddress`, with " +
    "`bitcoin.amountUnits` to send and the BIP21 `bitcoin.uri`), forwarded to the merchant's settlement address there; choosing the same " +
    "network again keeps quote and receiver. `tron`, `ton`, `solana` and `bitcoin` are " +
    "answered with a 400 while those networks are not enabled on this instance. Authenticate with the API key (full view in the response) or the session's `clientSecret` in the body " +
    "(public view). An expired, processing or finished session is a 409.",
  auth: "key-or-client-secret",
  body: z.strictObject({
    clientSecret: z.string().optional().meta({ description: "the session's client secret, when calling without an API key" }),
    locale: z.string().max(35).optional().meta({ description: "the payer's language (BCP 47), accepted for compatibility", example: "en-US" }),
    paymentMethod,
  }),
  response: z.object({
    session: z.union([sessionSchema, publicSessionSchema]),
    tron: z.object({ receiverAddress: z.string(), expiresAt: z.number().int() }).optional()
      .meta({ description: "type tron: the TRC20 receiver and when it stops being valid" }),
    ton: z.object({ receiverAddress: z.string(), expiresAt: z.number().int() }).optional()
      .meta({ description: "type ton: the session's TON receiver (user-friendly, non-bounceable) and when it stops being valid" }),
    bitcoin: z.object({
      receiverAddress: z.string().meta({ description: "the session's receiver on the chosen network (bech32 native segwit)" }),
      expiresAt: z.number().int(),
      network: z.string().meta({ example: "bitcoin" }),
      asset: z.string().meta({ example: "BTC" }),
      amountUnits: z.string().meta({ description: "what to send now, in whole coins (what remains when underpaid)", example: "0.00041667" }),
      uri: z.string().meta({ description: "the BIP21 payment URI with the amount (`bitcoin:…?amount=`; `litecoin:` on Litecoin), e.g. for a QR code" }),
    }).optional().meta({ description: "type bitcoin: the receiver, the quoted amount and its BIP21 URI" }),
    solana: z.object({
      serializedTx: z.string().meta({ description: "the hex-encoded unsigned transaction (fee payer = `walletAddress`) for the wallet to sign and send" }),
      reference: z.string().meta({ description: "the reference key (base58) the transaction carries; it identifies this session's payment" }),
      recipient: z.string().meta({ description: "the merchant's Solana wallet the transfer pays" }),
      payUrl: z.string().meta({ description: "the same payment as a Solana Pay transfer-request URL (`solana:…`), e.g. for a QR code" }),
    }).optional()
      .meta({ description: "type solana: the transaction for the payer's wallet and a Solana Pay URL for mobile wallets" }),
  }),
});
