/** The NodeName filter: a pod that names its node (spec.nodeName) fits only that node. */
package dev.capstan.scheduler.plugins.nodename;
