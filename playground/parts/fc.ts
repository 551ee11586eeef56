// Part `fc`: the FC 2.0 API double, our FC controller and the instances of FC functions in
// one process (playground/fc/fc-main.ts), standing in for Function Compute and Alibaba's FC controller of Knative on
// ASK. It needs Knative's webhook part (config maps, the playground's service address its HTTP triggers listen on)
// and the virtual node's image map (the bundles a function's instances run). Its readiness file is `<dir>/fc.json`,
// whose `fc` (credentials + endpoint) `up --json` publishes.
import { nodeScriptPart } from './node-script';

export const FC_PART_READY_FILE = 'fc.json';

export const fcPart = nodeScriptPart({
  name: 'fc',
  script: 'playground/fc/fc-main.ts',
  dependsOn: ['kube-apiserver', 'knative-webhook', 'virtual-node'],
  readyFile: FC_PART_READY_FILE,
});
