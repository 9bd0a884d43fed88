// The work-order disposal loop and 微网实格 mobilisation in the warehouse (issue 8).
export { createWorkOrderRow, transitionWorkOrder, getWorkOrder, loadWorkOrder } from './work-order-store.ts';
export type { ChangeContext, CreateWorkOrderRowInput, TransitionRequest, WorkOrderChange, WorkOrderDetail } from './work-order-store.ts';
export { listWorkOrders, type ListWorkOrdersInput, type WorkOrderList, type WorkOrderListItem } from './work-order-list.ts';
export { refreshServiceCounts, ensureServiceCountsFresh, countServiceCases, type ServiceCountsRefresh } from './service-counts.ts';
export { queryServiceMetrics, monthPeriod, type ServiceMetricsQuery, type ServiceMetricsResult } from './work-order-metrics.ts';
export { workOrderScopeSql, workOrderInScope, actorForOrder } from './work-order-scope.ts';
export { replayWorkOrder, actionFromRecord, loadAllWorkOrdersUnscoped } from './work-order-replay.ts';
export { refreshWorkCalendar } from './sla-sql.ts';
export { runExclusiveTransaction } from './exclusive-transaction.ts';
export { generateDemoWorkOrders, type DemoWorkOrderOptions, type DemoWorkOrderResult } from './demo-work-orders.ts';
export { retimeOpenDemoOrders, readDemoOrdersMeta, type RetimeResult } from './demo-retime.ts';
export {
  broadcastMobilisationTask,
  acknowledgeMobilisationGrid,
  completeMobilisationGrid,
  getMobilisationSummary,
  listMobilisationTasks,
  loadMobilisationTask,
} from './mobilisation-store.ts';
export type { BroadcastRequest, GridReport, MobilisationChange, MobilisationGridView, MobilisationOverview, MobilisationTaskListItem } from './mobilisation-store.ts';
