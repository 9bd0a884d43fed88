import { useEffect, useState, type ReactNode } from 'react';
import { computeStageFit } from '../stage-fit.ts';

function viewport() {
  return { width: window.innerWidth, height: window.innerHeight };
}

/** Current stage scale, e.g. to raise the map's pixel ratio on a 4K wall. */
export function useStageFit(width = 1920, height = 1080) {
  const [size, setSize] = useState(viewport);
  useEffect(() => {
    const onResize = () => setSize(viewport());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return computeStageFit(size.width, size.height, width, height);
}

/**
 * A fixed-size design stage (1920×1080 by default) scaled uniformly to the viewport and
 * centred: 4K doubles it, a 6656×1792 splice wall letterboxes it; text is never stretched.
 */
export function Stage({ width = 1920, height = 1080, children }: { width?: number; height?: number; children: ReactNode }) {
  const fit = useStageFit(width, height);
  return (
    <div className="co-stage-viewport">
      <div
        className="co-stage"
        style={{
          width,
          height,
          transform: `translate(${fit.offsetX}px, ${fit.offsetY}px) scale(${fit.scale})`,
          transformOrigin: '0 0',
        }}
      >
        {children}
      </div>
    </div>
  );
}
