// Links that open the hosted checkout inside a mobile wallet's own browser, where its wallet is
// injected, in each wallet's documented universal-link (or app-link) format. Pure; the page's URL
// carries no secret (the checkout id is the capability; the client secret never is in a URL).
//   MetaMask         https://link.metamask.io/dapp/{host/path, unencoded}       (docs.metamask.io "Use deeplinks")
//   Trust Wallet     https://link.trustwallet.com/open_url?coin_id=60&url={url} (developer.trustwallet.com "Deep Linking")
//   Coinbase Wallet  https://go.cb-w.com/dapp?cb_url={url}                      (docs.cdp.coinbase.com "Mobile dapp integration")
//   TronLink         tronlinkoutside://pull.activity?param={json}               (TronLink docs "DeepLink", Open DApp)
//   Phantom          https://phantom.app/ul/browse/{url}?ref={origin}           (docs.phantom.com "Browse")

export type WalletLink = { id: string; name: string; href: string };

export function metamaskLink(pageUrl: string): WalletLink {
  // MetaMask takes the URL without its scheme, as a path (encoding it opens a blank tab)
  return { id: "metamask", name: "MetaMask", href: `https://link.metamask.io/dapp/${pageUrl.replace(/^https?:\/\//, "")}` };
}

export function trustLink(pageUrl: string, slip44 = 60): WalletLink {
  return { id: "trust", name: "Trust Wallet", href: `https://link.trustwallet.com/open_url?${new URLSearchParams({ coin_id: String(slip44), url: pageUrl })}` };
}

export function coinbaseLink(pageUrl: string): WalletLink {
  return { id: "coinbase", name: "Coinbase Wallet", href: `https://go.cb-w.com/dapp?cb_url=${encodeURIComponent(pageUrl)}` };
}

export function tronlinkLink(pageUrl: string): WalletLink {
  const param = JSON.stringify({ url: pageUrl, action: "open", protocol: "TronLink", version: "1.0" });
  return { id: "tronlink", name: "TronLink", href: `tronlinkoutside://pull.activity?param=${encodeURIComponent(param)}` };
}

export function phantomLink(pageUrl: string): WalletLink {
  return { id: "phantom", name: "Phantom", href: `https://phantom.app/ul/browse/${encodeURIComponent(pageUrl)}?ref=${encodeURIComponent(new URL(pageUrl).origin)}` };
}
