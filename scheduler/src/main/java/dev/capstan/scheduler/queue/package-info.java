/**
 * The scheduling queue (upstream's internal/queue): activeQ by priority, backoffQ with per-pod exponential backoff,
 * unschedulable pods moved back on cluster events, and the nominated pods of preemption.
 */
package dev.capstan.scheduler.queue;
