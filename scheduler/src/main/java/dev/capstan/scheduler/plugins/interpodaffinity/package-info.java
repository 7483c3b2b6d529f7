/**
 * InterPodAffinity: required pod affinity and anti-affinity (the incoming pod's and the existing pods') by topology
 * domain, counted once per cycle in PreFilter; preferred terms and existing pods' terms score.
 */
package dev.capstan.scheduler.plugins.interpodaffinity;
