import { childBoundaryUrl } from '@cityops/ui/map/geo-utils';
import type { FirstScreenPlan } from '@cityops/ui/api/first-screen-boot';

/** What the first screen reads (the district's streets under the communities; ranking and trend charts), for the boot module and the app's prefetch. */
export const FIRST_SCREEN: FirstScreenPlan = { contextUrls: (unitCode) => [childBoundaryUrl(unitCode.slice(0, 6))] };
