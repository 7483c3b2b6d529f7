/**
 * The scheduler itself (upstream's schedule_one.go and eventhandlers.go): pop, snapshot, filter, score, assume, bind
 * asynchronously, handle failures and preemption; plus the small interfaces the wiring implements.
 */
package dev.capstan.scheduler.core;
