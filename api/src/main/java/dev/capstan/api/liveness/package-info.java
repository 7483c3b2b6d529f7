/**
 * What keeps a broken API server from lingering half-alive: the event-loop watchdog and the handling of
 * OutOfMemoryError. Both turn /readyz false first and end the process when the fault does not clear.
 */
package dev.capstan.api.liveness;
