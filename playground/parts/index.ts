// Every part of the playground, in one list: `up` starts them in dependency order (independent ones concurrently),
// `down` stops them in reverse. The list is Knative Serving itself on the virtual node (parts/upstream-parts.ts);
// a part of ours that is a long-running Node process is a nodeScriptPart (parts/node-script.ts says what such a
// script receives and how it signals readiness).
export { upstreamServingParts as parts } from './upstream-parts';
