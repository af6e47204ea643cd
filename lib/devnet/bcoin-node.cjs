// The Bitcoin devnet's node process (lib/devnet/bitcoin.ts runs it): bcoin's full node with its
// wallet server, configured by the command line (bcoin's own flags). Run with NODE_BACKEND=js.
//
// bcoin 1.0.2's database layer (bdb) passes unset range bounds as null; leveldown 6 (the one that
// builds on current Node, see package.json overrides) reads a null bound as a real one, so every
// iteration came back empty (no coins, no history: the wallet could never spend). Unset bounds
// are dropped before they reach leveldown.
'use strict';
const path = require('node:path');

const bcoinDir = path.dirname(require.resolve('bcoin/package.json'));
const bdbDir = path.dirname(require.resolve('bdb/package.json', { paths: [bcoinDir] }));
const leveldownPath = require.resolve('leveldown', { paths: [bdbDir] });
const leveldown = require(leveldownPath);
function patched(location) {
  const db = leveldown(location);
  const iterator = db.iterator;
  db.iterator = function (options = {}) {
    const clean = {};
    for (const [k, v] of Object.entries(options)) if (v !== null && v !== undefined) clean[k] = v;
    return iterator.call(this, clean);
  };
  return db;
}
require.cache[leveldownPath].exports = patched;

const FullNode = require(path.join(bcoinDir, 'lib/node/fullnode'));
const node = new FullNode({
  config: false, argv: true, env: false, logFile: true, logConsole: false, logLevel: 'warning',
  memory: false, workers: false, listen: false, loader: require,
});
node.use(require(path.join(bcoinDir, 'lib/wallet/plugin')));

let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  try {
    await node.close();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', close);
process.on('SIGINT', close);
(async () => {
  await node.ensure();
  await node.open();
  await node.connect();
  node.startSync();
})().catch((err) => {
  console.error(err.stack);
  process.exit(1);
});
