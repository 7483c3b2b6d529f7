/**
 * apimachinery's resource.Quantity: parsing, arithmetic, comparison and the canonical string form, with upstream's
 * rounding and error messages.
 */
package dev.capstan.model.quantity;
