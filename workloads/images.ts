// The container images the barrage templates deploy, and the source entry each one runs.
// The playground runtime cannot pull images (no registry here), so it runs a Knative Service whose image is listed
// here as a local `tsx <entry>` process; the Dockerfiles build the same entries for a real cluster.

export interface BarrageImage {
  /** Image reference the templates put in the Knative Service. */
  readonly image: string;
  /** Repository-relative TypeScript entry that the image runs (`tsx <entry>`). */
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

/** Strips a registry host and a digest so `registry.example.com/knative-desk/x:1@sha256:…` still matches. */
function normaliseImageReference(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const parts = withoutDigest.split('/');
  // A first path segment containing '.' or ':' (or 'localhost') is a registry host, not part of the name.
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    parts.shift();
  }
  return parts.join('/');
}

/**
 * The source entry for a barrage image, or undefined when the image is not one of ours.
 * Accepts the reference with or without a registry host or digest; the tag must match exactly, because a
 * different tag means a different build.
 */
export function sourceForImage(image: string): BarrageImage | undefined {
  const wanted = normaliseImageReference(image.trim());
  return Object.values(barrageImages).find((candidate) => candidate.image === wanted);
}
