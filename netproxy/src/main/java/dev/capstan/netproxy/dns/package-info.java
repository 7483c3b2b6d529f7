/**
 * The cluster DNS server: names of Services, endpoints and pods in the cluster domain answered from the informer
 * caches as CoreDNS's kubernetes plugin does, other names forwarded upstream; and the kube-system/kube-dns Service.
 */
package dev.capstan.netproxy.dns;
