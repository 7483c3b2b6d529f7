/** ImageLocality: prefers nodes that already have the pod's images, weighted by size and by how widely spread. */
package dev.capstan.scheduler.plugins.imagelocality;
