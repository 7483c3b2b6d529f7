/** NodeResourcesFit: requests against allocatable minus requested (and the pod count); LeastAllocated scoring. */
package dev.capstan.scheduler.plugins.noderesources;
