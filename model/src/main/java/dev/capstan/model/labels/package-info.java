/**
 * Label selectors as apimachinery's labels package has them: the string syntax, metav1.LabelSelector objects,
 * matching and the canonical string form.
 */
package dev.capstan.model.labels;
