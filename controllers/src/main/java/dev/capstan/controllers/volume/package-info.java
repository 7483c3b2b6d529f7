/** Upstream's persistentvolume-binder: static binding of claims to volumes, and the volumes' phases. */
package dev.capstan.controllers.volume;
