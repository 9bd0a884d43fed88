import type { FirstScreenPlan } from '@cityops/ui/api/first-screen-boot';

/** What the first screen reads (the city outline under the districts; KPIs, trend and top items charts), for the boot module and the app's prefetch. */
export const FIRST_SCREEN: FirstScreenPlan = { contextUrls: () => ['/geo/boundaries/city.geojson'], topItems: 10 };
