/** NodePorts: a pod's host ports must be free on the node (same protocol and port on the same or any IP). */
package dev.capstan.scheduler.plugins.nodeports;
