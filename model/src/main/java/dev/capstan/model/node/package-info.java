/** What every component reads the same way from a Node. */
package dev.capstan.model.node;
