// How the lag verdict and lag in seconds read on screen (pure; unit-tested).
import type { LagStatus } from '../../../electron/common/schemas/kafka';
import type { BadgeTone } from '../components/badge';

export const statusTone: Record<LagStatus, BadgeTone> = {
  OK: 'ok',
  WARN: 'warn',
  STALL: 'bad',
  STOP: 'bad',
  REWIND: 'info',
  UNKNOWN: 'neutral',
};

/** 0.4 → "0.4 s", 75 → "1 min 15 s", 7300 → "2 h 1 min"; null → "–". */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds < 10) return `${Math.round(seconds * 10) / 10} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes - hours * 60} min`;
}

/** The time-to-catch-up line: "caught up", "about N", or "not catching up" when that is the truth. */
export function catchUpText(catchUpSeconds: number | null, totalLag: string): string {
  if (totalLag === '0') return 'caught up';
  if (catchUpSeconds === null) return 'not catching up';
  return `about ${formatSeconds(catchUpSeconds)}`;
}
