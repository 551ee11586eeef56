// The banner of every barrage bundle (the Dockerfiles' esbuild stage and the playground's bundleWorkloads build the
// same ES module; workloads/dockerfiles.spec.ts checks the Dockerfiles carry exactly this text).
// - CommonJS dependencies (tablestore, protobufjs) call require(): the ES module gets one from createRequire.
// - The tablestore SDK (lib/filter.js, protocol/*.js) assigns variables it never declares (`for (pro in …)`,
//   `key = …`, `size = …`), which sloppy CommonJS turns into globals but the bundle's strict ES module refuses with
//   "ReferenceError: pro is not defined" on the first PutRow. Declared here, once for the module, they behave as
//   those globals did. The list is eslint's no-undef over node_modules/tablestore/lib (5.x), reads of browser-only
//   names (window, XMLHttpRequest) left out.
const tablestoreImplicitGlobals = ['pro', 'key', 'size', 'sub', 'cell_type', 'combinator'];

export const bundleBanner =
  "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url); " +
  `var ${tablestoreImplicitGlobals.join(', ')};`;
