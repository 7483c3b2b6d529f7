/**
 * The in-tree plugins, one package each, and {@link dev.capstan.scheduler.plugins.InTreePlugins}: the name → factory
 * registry and upstream's default profile (plugin order and score weights of kube-scheduler v1.32).
 */
package dev.capstan.scheduler.plugins;
