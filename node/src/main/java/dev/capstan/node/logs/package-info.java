/**
 * Container logs as the kubelet serves them: the CRI log files read with upstream's options (tail, since, timestamps,
 * limitBytes, previous, follow), and the choice of which attempt of a container to read.
 */
package dev.capstan.node.logs;
