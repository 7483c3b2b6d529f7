/**
 * The garbage collector: an ownership graph of every object of every served kind, which deletes dependents whose
 * owners are gone and carries out foreground and orphan deletion by removing the owners' finalizers.
 */
package dev.capstan.controllers.gc;
