// Series colours, readable on both themes (mid-lightness hues) and the same on every chart, so "ready" is
// always green and lag always purple.
export const chartColors = {
  load: '#2f81f7',
  latency: '#d29922',
  latencyTail: '#e8590c',
  ready: '#2da44e',
  pending: '#bf8700',
  terminating: '#cf222e',
  desired: '#8c959f',
  lag: '#8250df',
  produce: '#1f883d',
  consume: '#0969da',
} as const;
