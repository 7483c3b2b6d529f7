/**
 * DefaultPreemption (PostFilter): when no node fits, find the node where evicting the fewest, least important
 * lower-priority pods lets the pod fit, and return those victims and the nomination for the scheduler to carry out.
 */
package dev.capstan.scheduler.plugins.defaultpreemption;
