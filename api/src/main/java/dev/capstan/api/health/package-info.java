/** SmallRye Health checks of the API server, on Quarkus's port under /q/health. */
package dev.capstan.api.health;
