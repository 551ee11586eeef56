// How a barrage message from HomePage's stream becomes a danmaku comment: its text, its mode and colour when the
// message carries them (processing results may), otherwise the viewer's choice of mode and a colour derived
// from the text so the same sender's message keeps one colour.
import type { BarrageMessage } from '../../../electron/common/schemas/barrage';
import type { DanmakuMode } from './danmaku-layout';

export const danmakuPalette = [
  '#ffffff',
  '#ffd166',
  '#06d6a0',
  '#4cc9f0',
  '#f72585',
  '#b5e48c',
  '#ff9f1c',
  '#cdb4db',
];

const cssColor = /^#[0-9a-f]{3}([0-9a-f]{3})?$/i;

function hash(text: string): number {
  let value = 2166136261;
  for (let i = 0; i < text.length; i += 1) value = Math.imul(value ^ text.charCodeAt(i), 16777619);
  return value >>> 0;
}

export function toComment(
  message: BarrageMessage,
  defaults: { mode: DanmakuMode; colorful: boolean },
): { text: string; mode: DanmakuMode; color: string } {
  const data =
    message.data && typeof message.data === 'object' ? (message.data as Record<string, unknown>) : {};
  const mode =
    data.mode === 'scroll' || data.mode === 'top' || data.mode === 'bottom' ? data.mode : defaults.mode;
  const color =
    typeof data.color === 'string' && cssColor.test(data.color)
      ? data.color
      : defaults.colorful
        ? (danmakuPalette[hash(message.text) % danmakuPalette.length] as string)
        : '#ffffff';
  return { text: message.text, mode, color };
}
