"use strict";
// Loads the compiled addon; built by `node build.cjs` at npm install.
const path = require("node:path");
let addon;
try {
  addon = require(path.join(__dirname, "build", "Release", "monad_ring.node"));
} catch (err) {
  throw new Error(
    `@monad-gateway/native: the addon is not built (${err.message}). Run \`npm rebuild @monad-gateway/native\` ` +
      "on a machine with python3, make and a C compiler.",
  );
}
module.exports = addon;
