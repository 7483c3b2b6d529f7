/**
 * The Deployment controller (upstream pkg/controller/deployment): owns ReplicaSets named by the pod template's hash,
 * rolls them out (RollingUpdate, Recreate), scales proportionally, keeps revision history and reports conditions.
 */
package dev.capstan.controllers.deployment;
