package dev.capstan.model.scheduling;

import dev.capstan.model.fields.FieldSelector;
import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.labels.Requirement;
import dev.capstan.model.labels.SelectorParseException;
import dev.capstan.model.names.FieldErrors;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A v1.NodeSelector compiled as component-helpers' nodeaffinity.LazyErrorNodeSelector: terms ORed, each term's
 * expressions (on node labels) and fields (on metadata.name) ANDed; a term with neither matches nothing. A term that
 * does not compile never matches; its errors are kept for {@link #errors()}.
 */
public final class NodeSelectors {
    private static final List<String> LABEL_OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt");
    private static final List<String> FIELD_OPERATORS = List.of("In", "NotIn");

    /** One compiled term; null selectors mean the term has no such requirements. */
    record Term(LabelSelector labels, FieldSelector fields, List<String> errors) {
        boolean matches(Map<String, String> nodeLabels, String nodeName) {
            if (!errors.isEmpty()) {
                return false;
            }
            if (labels != null && !labels.matches(nodeLabels)) {
                return false;
            }
            // upstream consults the fields only when the node has a name
            return fields == null
                    || nodeName.isEmpty()
                    || fields.matches(f -> f.equals("metadata.name") ? nodeName : "");
        }
    }

    private final List<Term> terms;

    private NodeSelectors(List<Term> terms) {
        this.terms = terms;
    }

    /** Upstream's NewLazyErrorNodeSelector; a null selector has no terms and matches nothing. */
    public static NodeSelectors compile(NodeSelector selector) {
        List<Term> terms = new ArrayList<>();
        List<NodeSelectorTerm> given = selector == null || selector.getNodeSelectorTerms() == null
                ? List.of()
                : selector.getNodeSelectorTerms();
        for (int i = 0; i < given.size(); i++) {
            NodeSelectorTerm term = given.get(i);
            if (!isEmpty(term)) {
                terms.add(term(term, FieldErrors.index("nodeSelectorTerms", i)));
            }
        }
        return new NodeSelectors(List.copyOf(terms));
    }

    /**
     * Upstream's NewNodeSelector: like {@link #compile} but refusing a selector any of whose terms does not compile.
     *
     * @throws SelectorParseException with the terms' errors
     */
    public static NodeSelectors compileStrict(NodeSelector selector) {
        NodeSelectors compiled = compile(selector);
        if (!compiled.errors().isEmpty()) {
            throw new SelectorParseException(FieldErrors.aggregate(compiled.errors()));
        }
        return compiled;
    }

    /** Upstream's MatchNodeSelectorTerms: whether some term matches the node. */
    public static boolean matches(NodeSelector selector, Node node) {
        return compile(selector).matches(node);
    }

    public boolean matches(Node node) {
        if (node == null) {
            return false;
        }
        Map<String, String> labels = NodeAffinity.labels(node);
        String name = NodeAffinity.name(node);
        return terms.stream().anyMatch(t -> t.matches(labels, name));
    }

    /** The compile errors of all terms, upstream's field-error text. */
    public List<String> errors() {
        return terms.stream().flatMap(t -> t.errors().stream()).toList();
    }

    static boolean isEmpty(NodeSelectorTerm term) {
        return term == null || (size(term.getMatchExpressions()) == 0 && size(term.getMatchFields()) == 0);
    }

    /** Upstream's newNodeSelectorTerm. */
    static Term term(NodeSelectorTerm term, String path) {
        List<String> errors = new ArrayList<>();
        LabelSelector labels = null;
        FieldSelector fields = null;
        if (size(term.getMatchExpressions()) != 0) {
            labels = labelSelector(term.getMatchExpressions(), FieldErrors.child(path, "matchExpressions"), errors);
        }
        if (size(term.getMatchFields()) != 0) {
            fields = fieldSelector(term.getMatchFields(), FieldErrors.child(path, "matchFields"), errors);
        }
        return new Term(labels, fields, List.copyOf(errors));
    }

    private static LabelSelector labelSelector(
            List<NodeSelectorRequirement> expressions, String path, List<String> errors) {
        List<Requirement> requirements = new ArrayList<>();
        for (int i = 0; i < expressions.size(); i++) {
            NodeSelectorRequirement expr = expressions.get(i);
            String p = FieldErrors.index(path, i);
            String operator = nonNull(expr.getOperator());
            Requirement.Operator op = switch (operator) {
                case "In" -> Requirement.Operator.IN;
                case "NotIn" -> Requirement.Operator.NOT_IN;
                case "Exists" -> Requirement.Operator.EXISTS;
                case "DoesNotExist" -> Requirement.Operator.DOES_NOT_EXIST;
                case "Gt" -> Requirement.Operator.GREATER_THAN;
                case "Lt" -> Requirement.Operator.LESS_THAN;
                default -> null;
            };
            if (op == null) {
                errors.add(FieldErrors.notSupported(FieldErrors.child(p, "operator"), operator, LABEL_OPERATORS));
                continue;
            }
            try {
                requirements.add(Requirement.of(nonNull(expr.getKey()), op, values(expr), p));
            } catch (SelectorParseException e) {
                errors.add(e.getMessage());
            }
        }
        return errors.isEmpty() ? LabelSelector.of(requirements) : null;
    }

    private static FieldSelector fieldSelector(List<NodeSelectorRequirement> fields, String path, List<String> errors) {
        List<FieldSelector.Requirement> requirements = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            NodeSelectorRequirement expr = fields.get(i);
            String p = FieldErrors.index(path, i);
            String operator = nonNull(expr.getOperator());
            List<String> values = values(expr);
            if (!operator.equals("In") && !operator.equals("NotIn")) {
                errors.add(FieldErrors.notSupported(FieldErrors.child(p, "operator"), operator, FIELD_OPERATORS));
            } else if (values == null || values.size() != 1) {
                errors.add(FieldErrors.invalid(FieldErrors.child(p, "values"), values, "must have one element"));
            } else {
                requirements.add(
                        new FieldSelector.Requirement(nonNull(expr.getKey()), operator.equals("In"), values.get(0)));
            }
        }
        return errors.isEmpty() ? FieldSelector.of(requirements) : null;
    }

    /** The values as Go sees them: null for an absent or empty list (a nil slice). */
    private static List<String> values(NodeSelectorRequirement expr) {
        return size(expr.getValues()) == 0 ? null : expr.getValues();
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
