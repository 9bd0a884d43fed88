import { useEffect, useState } from 'react';
import { useI18n } from '@cityops/ui';

/** Wall clock for the big screen (Beijing time). */
export function Clock() {
  const { lang } = useI18n();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return (
    <span className="cc-clock">
      {now.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false })}
    </span>
  );
}
