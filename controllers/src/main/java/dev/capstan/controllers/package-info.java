/**
 * The controller manager: reconcilers that each own one kind's desired state, fed by shared informers, writing
 * through the API. One sub-package per controller; this package holds what they share.
 */
package dev.capstan.controllers;
