/**
 * The columns and cells of kubectl get's Table answers, one KindTable per kind, as upstream's printers make
 * them; each kind's strategy names its table.
 */
package dev.capstan.api.table;
