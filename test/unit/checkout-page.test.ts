// Pure pieces of the hosted checkout: locale choice, translations, amount display, what to send
// and the EIP-681 URI in the QR code.
import { coinbaseLink, metamaskLink, phantomLink, tronlinkLink, trustLink } from "@/lib/checkout/wallet-links";
import { describe, expect, it } from "vitest";
import { amountDue, dueIn, isUnderpaid, quoteFor, toBaseUnitsCeil } from "@/components/checkout/amounts";
import { eip681 } from "@/lib/chains/evm/prompt";
import type { PublicSession, TokenChoice } from "@/components/checkout/types";
import { formatAmount, formatCountdown, localeFromAcceptLanguage, LOCALES, messages, resolveLocale, translator } from "@/lib/i18n";

describe("locale", () => {
  it("takes ?locale= first, then Accept-Language by q-value, then English", () => {
    expect(resolveLocale("es", "de-DE,de;q=0.9")).toBe("es");
    expect(resolveLocale("de-AT", null)).toBe("de");
    expect(resolveLocale(["de", "es"], null)).toBe("de");
    expect(resolveLocale("fr", "es-MX,es;q=0.9,en;q=0.8")).toBe("es");
    expect(resolveLocale(undefined, "fr-CH, fr;q=0.9, de;q=0.7, en;q=0.8")).toBe("en");
    expect(resolveLocale(undefined, "fr, de;q=0")).toBe("en");
    expect(resolveLocale(undefined, undefined)).toBe("en");
    expect(localeFromAcceptLanguage("*")).toBeUndefined();
  });
  it("every language translates every message and keeps its placeholders", () => {
    const en = messages("en");
    for (const l of LOCALES) {
      const dict = messages(l);
      for (const [key, text] of Object.entries(en)) {
        const want = (text.match(/\{\w+\}/g) ?? []).sort();
        expect((dict[key as keyof typeof en].match(/\{\w+\}/g) ?? []).sort(), `${l} ${key}`).toEqual(want);
      }
    }
  });
  it("fills placeholders", () => {
    expect(translator("de")("status.returnToMerchant", { merchant: "Acme" })).toBe("Zurück zu Acme");
    expect(translator("es")("checkout.expiresIn", { time: "9:05" })).toBe("Caduca en 9:05");
  });
});

describe("amount display", () => {
  it("groups and keeps every digit, with at least two decimals, in the locale's style", () => {
    expect(formatAmount("1234567.5", "en")).toBe("1,234,567.50");
    expect(formatAmount("1234567.5", "de")).toBe("1.234.567,50");
    expect(formatAmount("25", "es")).toBe("25,00");
    expect(formatAmount("0.000001", "en")).toBe("0.000001");
    expect(formatAmount("123456789012345678901234567890.123456789012345678", "en"))
      .toBe("123,456,789,012,345,678,901,234,567,890.123456789012345678");
  });
  it("counts down as m:ss or h:mm:ss", () => {
    expect(formatCountdown(3599)).toBe("59:59");
    expect(formatCountdown(3600)).toBe("1:00:00");
    expect(formatCountdown(65)).toBe("1:05");
    expect(formatCountdown(-3)).toBe("0:00");
  });
});

const session = (patch: Partial<PublicSession> = {}): PublicSession => ({
  sessionId: "3f0c2a8e-5b1d-4c7e-9a4f-2d6b8e1c0a57",
  status: "waiting_payment",
  destination: { type: "evm", address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", chainId: 1, chainName: "ethereum",
    tokenAddress: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", tokenSymbol: "USDC", amountUnits: "25.5" },
  display: { title: "Order", verb: "Pay" },
  paymentMethod: null, refundAddress: null, url: "", livemode: true, createdAt: 0, expiresAt: 0,
  ...patch,
});
const choice = (decimals: number): TokenChoice => ({
  family: "evm", chainId: 56, network: "bsc", networkName: "BNB Smart Chain", tokenAddress: "0x55d398326f99059fF775485246999027B3197955",
  label: "USDT", symbol: "USDT", decimals, explorerTx: null,
});

describe("what the payer sends", () => {
  it("is the amount, or what remains when underpaid, in the chosen token's decimals", () => {
    expect(dueIn(session(), choice(18))).toEqual({ units: 25_500_000_000_000_000_000n, decimal: "25.5" });
    const under = session({ paidUnits: "10", remainingUnits: "15.5" });
    expect(isUnderpaid(under)).toBe(true);
    expect(amountDue(under)).toBe("15.5");
    expect(dueIn(under, choice(6)).units).toBe(15_500_000n);
    expect(isUnderpaid(session({ paidUnits: "0", remainingUnits: "25.5" }))).toBe(false);
    expect(isUnderpaid(session({ status: "succeeded", paidUnits: "10", remainingUnits: "15.5" }))).toBe(false);
  });
  it("is what remains of the session's quote in a quoted coin (BTC at a quoted price), and only in that coin", () => {
    const btc: TokenChoice = { family: "bitcoin", chainId: 0x1b000, network: "bitcoin", networkName: "Bitcoin", tokenAddress: "0x0000000000000000000000000000000000000000",
      label: "BTC", symbol: "BTC", decimals: 8, explorerTx: null, quoted: true };
    const quote = { network: "bitcoin", asset: "BTC", amountUnits: "0.000425", remainingUnits: "0.0002125", rate: "60000", currency: "USD", source: "coingecko", fetchedAt: 0, expiresAt: 0 };
    const s = session({ paymentMethod: { type: "bitcoin", receiverAddress: "rb1qxyz", createdAt: 0, quote }, paidUnits: "12.75", remainingUnits: "12.75" });
    expect(dueIn(s, btc)).toEqual({ units: 21_250n, decimal: "0.0002125" });
    // a stablecoin choice of the same session still pays what remains 1:1
    expect(dueIn(s, choice(6)).units).toBe(12_750_000n);
    // a Litecoin choice is not paid at a Bitcoin quote
    expect(quoteFor(s, { ...btc, network: "litecoin", symbol: "LTC", label: "LTC" })).toBeNull();
  });
  it("rounds up when the token has fewer decimals than the amount", () => {
    expect(toBaseUnitsCeil("1.0000001", 6)).toBe(1_000_001n);
    expect(toBaseUnitsCeil("1.0000000", 6)).toBe(1_000_000n);
    expect(dueIn(session({ destination: { ...session().destination, amountUnits: "0.123456789" } }), choice(6)))
      .toEqual({ units: 123_457n, decimal: "0.123457" });
  });
  it("is encoded as an EIP-681 token transfer", () => {
    const c = choice(18);
    expect(eip681({ token: c.tokenAddress, chainId: c.chainId, receiver: "0x8ba1f109551bD432803012645Ac136ddd64DBA72", units: 25_500_000_000_000_000_000n }))
      .toBe("ethereum:0x55d398326f99059fF775485246999027B3197955@56/transfer?address=0x8ba1f109551bD432803012645Ac136ddd64DBA72&uint256=25500000000000000000");
  });
});

describe("wallet deep links (lib/checkout/wallet-links)", () => {
  const page = "https://pay.example.com/checkout/0b6f3c1e-7d2a-4f1e-9a51-2d0c8e1f4a77?locale=de";
  it("open the checkout page in each wallet's browser, in its documented format", () => {
    expect(metamaskLink(page).href).toBe("https://link.metamask.io/dapp/pay.example.com/checkout/0b6f3c1e-7d2a-4f1e-9a51-2d0c8e1f4a77?locale=de");
    expect(trustLink(page).href).toBe("https://link.trustwallet.com/open_url?coin_id=60&url=https%3A%2F%2Fpay.example.com%2Fcheckout%2F0b6f3c1e-7d2a-4f1e-9a51-2d0c8e1f4a77%3Flocale%3Dde");
    expect(coinbaseLink(page).href).toBe("https://go.cb-w.com/dapp?cb_url=https%3A%2F%2Fpay.example.com%2Fcheckout%2F0b6f3c1e-7d2a-4f1e-9a51-2d0c8e1f4a77%3Flocale%3Dde");
    expect(phantomLink(page).href).toBe("https://phantom.app/ul/browse/https%3A%2F%2Fpay.example.com%2Fcheckout%2F0b6f3c1e-7d2a-4f1e-9a51-2d0c8e1f4a77%3Flocale%3Dde?ref=https%3A%2F%2Fpay.example.com");
    const tron = new URL(tronlinkLink(page).href);
    expect(tron.protocol).toBe("tronlinkoutside:");
    expect(JSON.parse(tron.searchParams.get("param")!)).toEqual({ url: page, action: "open", protocol: "TronLink", version: "1.0" });
  });
});
