import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { computeStageFit, type StageFit } from '../stage-fit.ts';

function viewport() {
  return { width: window.innerWidth, height: window.innerHeight };
}

function useViewport() {
  const [size, setSize] = useState(viewport);
  useEffect(() => {
    const onResize = () => setSize(viewport());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return size;
}

const StageContext = createContext<StageFit | null>(null);

/**
 * The enclosing stage's fit (size in design pixels and scale), e.g. to raise the map's pixel
 * ratio on a 4K wall or to switch to a wide layout; outside a stage, the fit of a 1920×1080 one.
 */
export function useStageFit(): StageFit {
  const size = useViewport();
  return useContext(StageContext) ?? computeStageFit(size.width, size.height);
}

/**
 * A design stage (1920×1080 by default) scaled uniformly to the viewport: 4K doubles it; text is
 * never stretched. On a viewport wider than the design, `widen` makes the stage wider at the
 * design height (its content's layout fills it), otherwise it is centred with bars.
 */
export function Stage({ width = 1920, height = 1080, widen = false, children }: { width?: number; height?: number; widen?: boolean; children: ReactNode }) {
  const size = useViewport();
  const fit = computeStageFit(size.width, size.height, width, height, widen);
  return (
    <StageContext.Provider value={fit}>
      <div className="co-stage-viewport">
        <div
          className="co-stage"
          style={{
            width: fit.width,
            height: fit.height,
            transform: `translate(${fit.offsetX}px, ${fit.offsetY}px) scale(${fit.scale})`,
            transformOrigin: '0 0',
          }}
        >
          {children}
        </div>
      </div>
    </StageContext.Provider>
  );
}
