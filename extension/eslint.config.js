// ESLint for the collector (make lint): the extension's own scripts run as classic scripts in
// Chrome (service worker, content scripts, popup) and are also loaded by node's tests through
// CommonJS; the tests are node ES modules.
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: ["node_modules/", "test/fixtures/"] },
  js.configs.recommended,
  {
    files: ["src/**/*.js", "popup/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: {
        ...globals.browser,
        ...globals.serviceworker,
        ...globals.webextensions,
        module: "readonly",
        GodModeScraper: "readonly",
        GodModeOutline: "readonly",
        GodModeOutbox: "readonly",
        GodModeConfig: "readonly",
        GodModeContent: "readonly",
      },
    },
    rules: {
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    // The popup is a page, not a worker: the service worker's globals are not its own.
    files: ["popup/**/*.js"],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions } },
    rules: { "no-redeclare": ["error", { builtinGlobals: false }] },
  },
  {
    files: ["test/**/*.mjs", "tools/**/*.mjs"],
    // (functions the tests hand to the browser page use its document and chrome objects)
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node, document: "readonly", chrome: "readonly" },
    },
    rules: { "no-unused-vars": ["error", { caughtErrors: "none" }] },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
  },
];
