/**
 * The verbs on resources (upstream's endpoints/handlers): decoding of bodies, the write options, and the calls
 * into the generic store, lists and watches. REST and the internal gRPC API both serve requests through these,
 * so both give the same answers.
 */
package dev.capstan.api.handlers;
