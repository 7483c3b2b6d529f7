/** NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in equal fractions. */
package dev.capstan.scheduler.plugins.balancedallocation;
