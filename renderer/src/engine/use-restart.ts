// A count that goes up each time the user asks to start a stream again (Retry, Reload): put it in the stream's key
// and the stream is opened anew.
import { useCallback, useState } from 'react';

export function useRestart(): [generation: number, restart: () => void] {
  const [generation, setGeneration] = useState(0);
  const restart = useCallback(() => setGeneration((n) => n + 1), []);
  return [generation, restart];
}
