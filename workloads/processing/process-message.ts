// The processing rules for one barrage message, as a pure function of the message, the configuration and how
// many messages the same user sent just before (which the caller reads from the shared store, so the rule holds
// across every processing copy rather than per process).
import type { BarrageFlag, BarrageMessage, BarrageResult } from '../shared/barrage-message';
import type { SensitiveWordMasker } from './sensitive-words';

export interface ProcessingRules {
  readonly masker: SensitiveWordMasker;
  /** Characters (code points) kept after whitespace normalisation. */
  readonly maxTextLength: number;
  /** A user with at least this many earlier messages inside the window is flagged. */
  readonly rateLimitCount: number;
  readonly rateLimitWindowMs: number;
}

/** Collapses every run of whitespace (including newlines and zero-width spaces) to one space, and trims. */
export function normaliseWhitespace(text: string): string {
  return text.replace(/[\s\u200b-\u200d\u2060\ufeff]+/gu, ' ').trim();
}

/** Cuts to at most `max` code points, never splitting a surrogate pair. */
export function truncateToCodePoints(text: string, max: number): { text: string; truncated: boolean } {
  const codePoints = [...text];
  if (codePoints.length <= max) return { text, truncated: false };
  return { text: codePoints.slice(0, max).join(''), truncated: true };
}

export function processMessage(
  message: BarrageMessage,
  rules: ProcessingRules,
  earlierMessagesInWindow: number,
  now: Date,
): BarrageResult {
  const flags: BarrageFlag[] = [];
  const normalised = normaliseWhitespace(message.text);
  const { text: cut, truncated } = truncateToCodePoints(normalised, rules.maxTextLength);
  const bounded = cut.trimEnd(); // a cut can end on the space between two words
  if (truncated) flags.push('truncated');
  const { text, maskedCount } = rules.masker.mask(bounded);
  if (maskedCount > 0) flags.push('masked');
  if (message.user !== undefined && earlierMessagesInWindow >= rules.rateLimitCount)
    flags.push('rate-limited');
  return { ...message, text, flags, processedAt: now.toISOString() };
}
