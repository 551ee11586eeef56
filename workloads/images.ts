// The container images the barrage templates deploy, and the source entry each one runs.
// The playground cannot pull images (no registry here), so its virtual node runs a pod whose image is listed here
// as the esbuild bundle of that entry (playground/parts/virtual-node.ts), the one the Dockerfile builds for a real
// cluster.

export interface BarrageImage {
  /** Image reference the templates put in the Knative Service. */
  readonly image: string;
  /** Repository-relative TypeScript entry that the image runs (bundled, as its Dockerfile builds it). */
  readonly entry: string;
  /** Dockerfile that builds the image from the repository root. */
  readonly dockerfile: string;
}

export const barrageImages = {
  homepage: {
    image: 'knative-desk/barrage-homepage:0.1.0',
    entry: 'workloads/homepage/main.ts',
    dockerfile: 'workloads/homepage/Dockerfile',
  },
  processing: {
    image: 'knative-desk/barrage-processing:0.1.0',
    entry: 'workloads/processing/main.ts',
    dockerfile: 'workloads/processing/Dockerfile',
  },
} as const satisfies Record<string, BarrageImage>;

export type BarrageImageId = keyof typeof barrageImages;
