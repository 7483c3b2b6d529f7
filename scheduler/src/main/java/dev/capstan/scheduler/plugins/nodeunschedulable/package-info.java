/** The NodeUnschedulable filter: cordoned nodes (spec.unschedulable) take no pods that do not tolerate it. */
package dev.capstan.scheduler.plugins.nodeunschedulable;
