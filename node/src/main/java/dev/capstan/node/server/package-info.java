/**
 * The agent's HTTPS endpoint on the kubelet's port (10250): its self-signed serving certificate, bearer-token
 * authentication of the API server, and the container log stream.
 */
package dev.capstan.node.server;
