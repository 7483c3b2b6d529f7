/**
 * What one API request is, whichever door it came in by (REST or internal gRPC): who sent it, what it asks for,
 * and its write options. Every stage of the request pipeline reads the same {@link RequestContext}.
 */
package dev.capstan.api.request;
