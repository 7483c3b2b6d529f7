/**
 * The name and label string rules of apimachinery's util/validation (qualified names, label values, DNS labels and
 * subdomains) with upstream's messages, and the field.Error text those messages are wrapped in.
 */
package dev.capstan.model.names;
