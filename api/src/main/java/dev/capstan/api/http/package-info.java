/**
 * The HTTPS front of the API server: path routing, authentication, discovery, content negotiation (JSON and
 * Table) and streaming watches, on a Vert.x server with blocking work on virtual threads.
 */
package dev.capstan.api.http;
