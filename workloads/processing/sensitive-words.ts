// Masks sensitive words in one pass over the text with an Aho–Corasick automaton (modern-ahocorasick's text
// matcher): cost grows with the text, not with the size of the word list, and matching is case-insensitive with
// full Unicode case folding while ranges still point into the original text.
import TextMatcher from 'modern-ahocorasick/text';

export interface MaskOutcome {
  readonly text: string;
  /** How many occurrences were masked. */
  readonly maskedCount: number;
}

/** Parses `SENSITIVE_WORDS`: comma- or newline-separated, trimmed, empties and duplicates dropped. */
export function parseSensitiveWords(list: string): string[] {
  const words = list
    .split(/[,\n]/)
    .map((word) => word.trim())
    .filter((word) => word !== '');
  return [...new Set(words)];
}

export class SensitiveWordMasker {
  readonly #matcher: TextMatcher | undefined;

  constructor(words: readonly string[]) {
    this.#matcher = words.length > 0 ? new TextMatcher(words, { caseFold: true }) : undefined;
  }

  mask(text: string): MaskOutcome {
    if (!this.#matcher) return { text, maskedCount: 0 };
    let maskedCount = 0;
    // leftmost-longest: "badword" wins over "bad" when both are listed, so no fragment is left readable.
    const masked = this.#matcher.replace(
      text,
      (match) => {
        maskedCount += 1;
        return '*'.repeat([...text.slice(match.start, match.end)].length);
      },
      { strategy: 'leftmost-longest' },
    );
    return { text: masked, maskedCount };
  }
}
