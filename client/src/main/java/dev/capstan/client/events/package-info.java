/**
 * Events about objects, as client-go's tools/record writes them: core/v1 Events de-duplicated, aggregated and
 * rate-limited on the way (the EventCorrelator), written off the caller's thread; and a fake for unit tests.
 */
package dev.capstan.client.events;
