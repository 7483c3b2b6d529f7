/** File-system helpers every component and harness shares. */
package dev.capstan.model.files;
