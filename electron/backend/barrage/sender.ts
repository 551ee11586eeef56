// The barrage sender: load against HomePage with autocannon (a maintained load generator with keep-alive
// connections and rate limiting, rather than a hand-written loop), per-second stats from an HDR histogram
// (hdr-histogram-js), status codes and errors, stoppable, and always bounded in time and count.
import autocannon from 'autocannon';
import * as hdr from 'hdr-histogram-js';
import type { BarrageSendEvent } from '../../common/schemas/barrage';
import { serviceTarget } from '../net/service-target';
import { homepageUrl, SEND_PATH } from './homepage-api';

export interface SendOptions {
  url: string;
  message: string;
  concurrency: number;
  durationSeconds: number;
  rate?: number;
  maxRequests?: number;
  /** The gateway a cluster-local URL is sent through (net/service-target.ts); null when none is known. */
  gateway?: string | null;
}

/** Ceiling on any run's request count, whatever the UI asks (the UI's own limit is lower). */
export const MAX_REQUESTS_PER_RUN = 1_000_000;
/** Slowest response recorded (ms); slower ones are clamped, the count stays right. */
const HIGHEST_MS = 60_000;

/** Distinct refusal reasons kept per run; more fall into the last ("other") bucket so a run's memory stays bounded. */
const MAX_REFUSAL_KINDS = 8;
const MAX_REASON_CHARS = 200;

/** HomePage answers refusals as JSON (`{"error": …}` or `{"status": "unavailable", <part>: <reason>}`). */
export function refusalReason(body: string): string {
  const text = body.trim();
  let reason = text;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const record = parsed as Record<string, unknown>;
      reason =
        typeof record.error === 'string'
          ? record.error
          : Object.entries(record)
              .filter(([key]) => key !== 'status')
              .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
              .join('; ') || text;
    }
  } catch {
    /* not JSON: the text itself */
  }
  return reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason;
}

/** Counts refusals by status and reason, bounded in kinds. */
export class RefusalTally {
  private readonly counts = new Map<string, { status: number; message: string; count: number }>();
  add(status: number, body: string): void {
    let message = refusalReason(body);
    let key = `${status} ${message}`;
    if (!this.counts.has(key) && this.counts.size >= MAX_REFUSAL_KINDS - 1) {
      message = '(other reasons)';
      key = `other ${status}`;
    }
    const entry = this.counts.get(key) ?? { status, message, count: 0 };
    entry.count++;
    this.counts.set(key, entry);
  }
  list(): Array<{ status: number; message: string; count: number }> {
    return [...this.counts.values()].sort((a, b) => b.count - a.count).map((entry) => ({ ...entry }));
  }
}

type SecondEvent = Extract<BarrageSendEvent, { type: 'second' }>;
type DoneEvent = Extract<BarrageSendEvent, { type: 'done' }>;

function newHistogram() {
  // Microsecond resolution, 3 significant digits: what load tools report, at a few KB per histogram.
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_MS * 1000,
    numberOfSignificantValueDigits: 3,
  });
}

function summary(histogram: ReturnType<typeof newHistogram>) {
  if (histogram.totalCount === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}

export interface SenderRun {
  stop(): void;
  /** Settles with the done event. */
  finished: Promise<DoneEvent>;
}

export function startSender(options: SendOptions, emit: (event: BarrageSendEvent) => void): SenderRun {
  const maxRequests = Math.min(options.maxRequests ?? MAX_REQUESTS_PER_RUN, MAX_REQUESTS_PER_RUN);
  const started = Date.now();
  const total = newHistogram();
  let second = newHistogram();
  const statusCodes: Record<string, number> = {};
  let secondCodes: Record<string, number> = {};
  let responses = 0;
  let accepted = 0;
  let refused = 0;
  let secondRefused = 0;
  const refusals = new RefusalTally();
  let errors = 0;
  let timeouts = 0;
  let secondResponses = 0;
  let secondErrors = 0;
  let secondTimeouts = 0;
  let secondIndex = 0;
  let stoppedByUser = false;

  let onFinish: (error: unknown, sent: number | undefined) => void = () => {};
  // With a callback autocannon returns its event-emitting Instance (without one, only a Promise of the result).
  // autocannon takes no resolver: a `*.localhost` URL is sent to 127.0.0.1, a cluster-local one to the gateway, each
  // with its name in the Host header.
  const target = serviceTarget(homepageUrl(options.url, SEND_PATH), options.gateway);
  const instance = autocannon(
    {
      url: target.url,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(target.hostHeader ? { host: target.hostHeader } : {}),
      },
      body: JSON.stringify({ text: options.message }),
      // `amount` makes autocannon stop exactly at the cap (it splits it over connections); the duration is enforced
      // by our own timer below, since autocannon ignores `duration` when `amount` is set. Its stop flag is read
      // every `sampleInt`, so a short one makes stopping prompt.
      connections: Math.min(options.concurrency, maxRequests),
      amount: maxRequests,
      sampleInt: 250,
      ...(options.rate ? { overallRate: options.rate } : {}),
      timeout: 10,
      // One request template inheriting the options above, for its onResponse: a refusal's body says why.
      requests: [
        {
          onResponse: (status: number, body: string) => {
            if (status < 200 || status >= 300) refusals.add(status, body);
          },
        },
      ],
    },
    // Its result's `requests.sent` counts every request written, answered or not.
    (error, result) => onFinish(error ?? null, result?.requests?.sent),
  );

  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    const us = Math.min(Math.max(1, Math.round(responseTime * 1000)), HIGHEST_MS * 1000);
    total.recordValue(us);
    second.recordValue(us);
    const code = String(statusCode);
    statusCodes[code] = (statusCodes[code] ?? 0) + 1;
    secondCodes[code] = (secondCodes[code] ?? 0) + 1;
    responses++;
    secondResponses++;
    if (statusCode >= 200 && statusCode < 300) accepted++;
    else {
      refused++;
      secondRefused++;
    }
  });
  instance.on('reqError', (error: { code?: string; message?: string }) => {
    const isTimeout = /timed? ?out/i.test(error?.message ?? '') || error?.code === 'ETIMEDOUT';
    if (isTimeout) {
      timeouts++;
      secondTimeouts++;
    } else {
      errors++;
      secondErrors++;
    }
  });

  const flushSecond = () => {
    secondIndex++;
    const event: SecondEvent = {
      type: 'second',
      second: secondIndex,
      at: Date.now(),
      rps: secondResponses,
      latency: summary(second),
      statusCodes: secondCodes,
      refused: secondRefused,
      errors: secondErrors,
      timeouts: secondTimeouts,
      totalRequests: responses + errors + timeouts,
    };
    emit(event);
    second = newHistogram();
    secondCodes = {};
    secondResponses = 0;
    secondRefused = 0;
    secondErrors = 0;
    secondTimeouts = 0;
  };
  const ticker = setInterval(flushSecond, 1000);
  // The run's duration (autocannon's own is off because `amount` is set); the stop takes effect within sampleInt.
  const hardStop = setTimeout(() => instance.stop(), options.durationSeconds * 1000);

  const finished = new Promise<DoneEvent>((resolve) => {
    const finish = (error: unknown, sent: number | undefined) => {
      clearInterval(ticker);
      clearTimeout(hardStop);
      if (secondResponses + secondErrors + secondTimeouts > 0) flushSecond();
      const seconds = (Date.now() - started) / 1000;
      const done: DoneEvent = {
        type: 'done',
        reason: error ? 'failed' : stoppedByUser ? 'stopped' : 'finished',
        durationSeconds: seconds,
        totalRequests: responses + errors + timeouts,
        accepted,
        refused,
        refusals: refusals.list(),
        errors,
        timeouts,
        unanswered: Math.max(0, (sent ?? 0) - (responses + errors + timeouts)),
        statusCodes,
        latency: summary(total),
        meanRps: seconds > 0 ? responses / seconds : 0,
        error: error ? String((error as Error).message ?? error) : null,
      };
      emit(done);
      resolve(done);
    };
    let settled = false;
    onFinish = (error, sent) => {
      if (settled) return;
      settled = true;
      finish(error, sent);
    };
  });

  return {
    stop: () => {
      stoppedByUser = true;
      instance.stop();
    },
    finished,
  };
}
