/**
 * nf_tables over netlink, for the proxy's small incremental syncs: batches of the messages nft would send for the
 * same commands, the expressions of the proxy's own rule forms, and the socket that sends them (through JNA). nft
 * stays the tool for full loads and for anything these forms do not cover.
 */
package dev.capstan.netproxy.proxy.netlink;
