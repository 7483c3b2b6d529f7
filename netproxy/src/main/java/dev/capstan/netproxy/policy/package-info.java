/**
 * NetworkPolicy for the pods of this node: a pure renderer of the whole nftables table (family ip, forward hook), an
 * applier that loads it atomically with {@code nft -f}, and a syncer that re-renders on informer events.
 */
package dev.capstan.netproxy.policy;
