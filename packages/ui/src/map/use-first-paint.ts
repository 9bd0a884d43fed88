import { useEffect, useState } from 'react';
import { onFirstPaint } from '../readiness.ts';

/**
 * True once the page's first meaningful paint happened. Map decorations that are not needed to
 * read the map (unit names: TextLayer builds a CJK font atlas and compiles one more shader
 * program, seconds under SwiftShader) wait for it so they do not delay that paint.
 */
export function useFirstPaintDone(): boolean {
  const [done, setDone] = useState(() => typeof window !== 'undefined' && window.__cityops?.firstPaintMs != null);
  useEffect(() => {
    if (done) return undefined;
    return onFirstPaint(() => setDone(true));
  }, [done]);
  return done;
}
