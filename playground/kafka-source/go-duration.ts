// Go durations as Knative and eventing-kafka write them in specs and annotations ("60s", "1m30s", "500ms"), in
// milliseconds. The KafkaSource's delivery durations accept them beside ISO 8601, as upstream's parser does.

export class GoDurationError extends Error {
  override readonly name = 'GoDurationError';
}

/** Parses a Go duration ("60s", "1m30s", "500ms"); throws GoDurationError for anything else. */
export function parseGoDuration(raw: string): number {
  const match = /^((?:\d+(?:\.\d+)?(?:h|m|s|ms))+)$/.exec(raw.trim());
  if (!match) throw new GoDurationError(`"${raw}" is not a duration like "60s" or "1m30s"`);
  let total = 0;
  for (const part of raw.trim().matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    const value = Number(part[1]);
    const unit = part[2];
    total += value * (unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : unit === 's' ? 1000 : 1);
  }
  return total;
}
