/**
 * The node's local images ({@code localhost/capstan/busybox:1}, {@code localhost/capstan/pause:1}), built in Java as
 * deterministic OCI image-layout tars and imported into containerd, since no registry is reachable.
 */
package dev.capstan.node.images;
