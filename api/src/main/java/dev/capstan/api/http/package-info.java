/**
 * The HTTPS front of the API server: authentication and authorization of every request, routing to the
 * handlers, discovery, OpenAPI, content negotiation (JSON and Table) and streaming watches, on Vert.x.
 */
package dev.capstan.api.http;
