/** NodeAffinity: spec.nodeSelector and required node affinity filter; preferred terms' weights score. */
package dev.capstan.scheduler.plugins.nodeaffinity;
