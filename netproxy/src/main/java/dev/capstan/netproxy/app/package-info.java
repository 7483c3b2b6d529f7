/** The app around the proxy, policy and DNS parts: configuration, the shared informers, start and stop. */
package dev.capstan.netproxy.app;
