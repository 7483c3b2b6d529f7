/**
 * What controllers that create and delete objects share (upstream's controller_utils.go and controller_ref_manager.go):
 * expectations of their own writes, so no sync acts on a stale cache, and claims of controllees by controllerRef.
 */
package dev.capstan.controllers.expectations;
