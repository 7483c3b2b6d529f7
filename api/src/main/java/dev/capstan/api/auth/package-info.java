/**
 * Authentication (a chain of authenticators turning credentials into a user) and authorization (a chain of
 * authorizers deciding on the request's attributes), the first two stages of every request, REST or gRPC.
 */
package dev.capstan.api.auth;
