import { childBoundaryUrl } from '@cityops/ui/map/geo-utils';
import type { FirstScreenPlan } from '@cityops/ui/api/first-screen-boot';

/**
 * What the first screen reads (all districts under the streets; ranking, trend and index
 * decomposition charts, the index ranking table and the district's own unit for the breadcrumbs),
 * for the boot module and the app's prefetch.
 */
export const FIRST_SCREEN: FirstScreenPlan = { contextUrls: () => [childBoundaryUrl('5101')], decomposition: true, indexRanking: true, unit: true };
