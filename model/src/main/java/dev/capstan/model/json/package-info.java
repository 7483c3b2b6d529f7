/**
 * The one configured Jackson mapper every component uses, and null-safe reads of Kubernetes JSON trees with Go's
 * zero-value semantics (an absent string reads as "", an absent number as 0).
 */
package dev.capstan.model.json;
