package dev.capstan.controllers;

import dev.capstan.client.ApiClient;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.informer.InformerFactory;
import java.time.Clock;

/**
 * What every controller is built from: the API, the process's shared informers, the event recorder (its source
 * component is the controller manager) and the clock every timeout and back-off reads.
 */
public record ControllerContext(ApiClient api, InformerFactory informers, EventRecorder events, Clock clock) {}
