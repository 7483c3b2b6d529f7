/**
 * The watch cache: every object of every resource held in memory, fed by one store watch per process. Watches
 * and lists are served from it, each event decoded and encoded once however many watchers receive it.
 */
package dev.capstan.api.cache;
