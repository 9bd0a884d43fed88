import { useEffect, useState } from 'react';
import { onFirstPaint, useI18n } from '@cityops/ui';

/**
 * Wall clock for the big screen (Beijing time). It starts ticking after the first meaningful
 * paint: a repaint every second before it is work the map's first frame waits behind.
 */
export function Clock() {
  const { lang } = useI18n();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    let timer: number | undefined;
    const stop = onFirstPaint(() => {
      setNow(new Date());
      timer = window.setInterval(() => setNow(new Date()), 1000);
    });
    return () => {
      stop();
      window.clearInterval(timer);
    };
  }, []);
  return (
    <span className="cc-clock">
      {now.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false })}
    </span>
  );
}
