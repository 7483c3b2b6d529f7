/** TaintToleration: NoSchedule/NoExecute taints filter; untolerated PreferNoSchedule taints lower the score. */
package dev.capstan.scheduler.plugins.tainttoleration;
