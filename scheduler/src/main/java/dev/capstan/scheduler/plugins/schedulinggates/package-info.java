/**
 * SchedulingGates: a PreEnqueue plugin that keeps pods with spec.schedulingGates out of the active queue until the
 * gates are removed.
 */
package dev.capstan.scheduler.plugins.schedulinggates;
