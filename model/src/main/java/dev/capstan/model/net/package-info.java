/** IP addresses and prefixes as every component reads them (Go's net.ParseIP/ParseCIDR rules). */
package dev.capstan.model.net;
