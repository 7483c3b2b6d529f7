/** JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386) on JSON trees. */
package dev.capstan.api.patch;
