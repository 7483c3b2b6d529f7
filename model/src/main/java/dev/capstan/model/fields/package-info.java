/**
 * Field selectors as apimachinery's fields package parses and matches them; which fields a resource supports is the
 * caller's business.
 */
package dev.capstan.model.fields;
