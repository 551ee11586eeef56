// Every schema module, for consumers that want the building blocks (forms, fixtures) rather than the contract.
export * as app from './app';
export * as barrage from './barrage';
export * as clusters from './clusters';
export * as deploy from './deploy';
export * as eventing from './eventing';
export * as fc from './fc';
export * as kafka from './kafka';
export * as live from './live';
export * as manage from './manage';
export * as primitives from './primitives';
export * as workloads from './workloads';
